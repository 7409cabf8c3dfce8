// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "bus_call.hpp"

#include "daemon_error.hpp"

namespace vmmd {
namespace {

int on_reply(sd_bus_message* reply, void* userdata, sd_bus_error* /*ret_error*/) {
  auto* handler = static_cast<ReplyHandler*>(userdata);
  (*handler)(reply, sd_bus_message_get_error(reply));
  return 0;
}

void delete_handler(void* userdata) { delete static_cast<ReplyHandler*>(userdata); }

}  // namespace

std::string MethodCall::sender() const {
  const char* sender = sd_bus_message_get_sender(message_.get());
  return sender != nullptr ? sender : "";
}

void MethodCall::reply_empty() const { (void)sd_bus_reply_method_return(message_.get(), nullptr); }

void MethodCall::reply_error(const vmm::Error& error) const {
  (void)sd_bus_reply_method_errorf(message_.get(), bus_error_name(error), "%s", bus_error_message(error).c_str());
}

void MethodCall::reply_with(const std::function<int(sd_bus_message*)>& fill) const {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_return(message_.get(), &raw);
  MessagePtr reply(raw);
  if (r >= 0) r = fill(reply.get());
  if (r >= 0) r = sd_bus_send(nullptr, reply.get(), nullptr);
  if (r < 0) reply_error(bus_errno_error(r, "building the reply"));
}

vmm::Result<void> call_async(sd_bus* bus, sd_bus_message* call, ReplyHandler handler, uint64_t timeout_usec) {
  auto* owned = new ReplyHandler(std::move(handler));
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_call_async(bus, &slot, call, on_reply, owned, timeout_usec);
  if (r < 0) {
    delete owned;
    return bus_errno_error(r, "sending a D-Bus call");
  }
  // The bus keeps the slot until the reply came (or the bus closes) and then
  // frees the handler.
  (void)sd_bus_slot_set_destroy_callback(slot, delete_handler);
  (void)sd_bus_slot_set_floating(slot, 1);
  (void)sd_bus_slot_unref(slot);
  return vmm::ok();
}

std::string describe_bus_error(const sd_bus_error* error) {
  if (error == nullptr || !sd_bus_error_is_set(error)) return "no error";
  std::string text = error->name;
  if (error->message != nullptr) text += std::string(": ") + error->message;
  return text;
}

vmm::Error bus_errno_error(int negative_errno, const std::string& context) {
  return vmm::Error::from_errno(-negative_errno, context);
}

}  // namespace vmmd
