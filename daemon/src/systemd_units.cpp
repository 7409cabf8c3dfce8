// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "systemd_units.hpp"

#include <cstdlib>

#include "bus_call.hpp"
#include "daemon_error.hpp"

namespace vmmd {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";
constexpr size_t kMaxEarlyResults = 256;

vmm::Result<MessagePtr> new_manager_call(sd_bus* bus, const char* method) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus, &raw, kService, kManagerPath, kManagerInterface, method);
  if (r < 0) return bus_errno_error(r, std::string("building ") + method);
  return MessagePtr(raw);
}

vmm::Error job_error(const std::string& unit, const std::string& result) {
  if (result == "timeout") {
    return daemon_error(DaemonErrc::kTimeout, unit + ": systemd's job timed out; see journalctl -u " + unit);
  }
  return daemon_error(DaemonErrc::kFailed,
                      unit + ": systemd's job ended with \"" + result + "\"; see journalctl -u " + unit);
}

void get_property(sd_bus* bus, const std::string& path, const char* interface, const char* property,
                  const char* type, std::function<void(sd_bus_message*)> done) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus, &raw, kService, path.c_str(), "org.freedesktop.DBus.Properties",
                                         "Get");
  MessagePtr call(raw);
  if (r >= 0) r = sd_bus_message_append(call.get(), "ss", interface, property);
  if (r < 0) {
    done(nullptr);
    return;
  }
  std::string expected = type;
  auto sent = call_async(bus, call.get(), [done, expected](sd_bus_message* reply, const sd_bus_error* error) {
    if ((error != nullptr && sd_bus_error_is_set(error)) ||
        sd_bus_message_enter_container(reply, 'v', expected.c_str()) < 0) {
      done(nullptr);
      return;
    }
    done(reply);
  });
  if (!sent) done(nullptr);
}

}  // namespace

std::string SystemdUnits::object_path(const std::string& unit) {
  char* path = nullptr;
  if (sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path) < 0) return {};
  std::string result = path;
  free(path);  // NOLINT: sd_bus_path_encode allocates with malloc
  return result;
}

vmm::Result<void> SystemdUnits::subscribe() {
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_match_signal_async(bus_, &slot, kService, kManagerPath, kManagerInterface, "JobRemoved",
                                    on_job_removed, nullptr, this);
  if (r < 0) return bus_errno_error(r, "watching systemd's JobRemoved");
  job_removed_slot_.reset(slot);
  VMM_TRY_ASSIGN(MessagePtr call, new_manager_call(bus_, "Subscribe"));
  // Without Subscribe() systemd sends no unit signals; a systemd that is not
  // there yet is not fatal (unit calls then fail with a clear error).
  return call_async(bus_, call.get(), [](sd_bus_message*, const sd_bus_error*) {});
}

void SystemdUnits::enqueue(const char* method, const std::string& unit, Done done) {
  auto call = new_manager_call(bus_, method);
  int r = call ? sd_bus_message_append(call->get(), "ss", unit.c_str(), "replace") : -EINVAL;
  if (r < 0) {
    done(daemon_error(DaemonErrc::kFailed, std::string("cannot build ") + method));
    return;
  }
  std::string name = method;
  auto sent = call_async(bus_, call->get(), [this, unit, name, done](sd_bus_message* reply, const sd_bus_error* error) {
    const char* job = nullptr;
    if (error != nullptr && sd_bus_error_is_set(error)) {
      done(daemon_error(DaemonErrc::kFailed, name + " " + unit + ": " + describe_bus_error(error)));
      return;
    }
    if (sd_bus_message_read(reply, "o", &job) < 0) {
      done(daemon_error(DaemonErrc::kFailed, name + " " + unit + ": malformed reply from systemd"));
      return;
    }
    for (auto it = early_results_.begin(); it != early_results_.end(); ++it) {
      if (it->first == job) {
        std::string result = it->second;
        early_results_.erase(it);
        done(result == "done" ? vmm::Result<void>(vmm::ok()) : vmm::Result<void>(job_error(unit, result)));
        return;
      }
    }
    jobs_[job] = {unit, done};
  });
  if (!sent) done(sent.error());
}

void SystemdUnits::kill(const std::string& unit, int signal, Done done) {
  auto call = new_manager_call(bus_, "KillUnit");
  int r = call ? sd_bus_message_append(call->get(), "ssi", unit.c_str(), "all", signal) : -EINVAL;
  if (r < 0) {
    done(daemon_error(DaemonErrc::kFailed, "cannot build KillUnit"));
    return;
  }
  auto sent = call_async(bus_, call->get(), [unit, done](sd_bus_message*, const sd_bus_error* error) {
    if (error != nullptr && sd_bus_error_is_set(error)) {
      done(daemon_error(DaemonErrc::kFailed, "KillUnit " + unit + ": " + describe_bus_error(error)));
      return;
    }
    done(vmm::ok());
  });
  if (!sent) done(sent.error());
}

int SystemdUnits::on_job_removed(sd_bus_message* message, void* userdata, sd_bus_error* /*error*/) {
  uint32_t id = 0;
  const char* job = nullptr;
  const char* unit = nullptr;
  const char* result = nullptr;
  if (sd_bus_message_read(message, "uoss", &id, &job, &unit, &result) < 0) return 0;
  static_cast<SystemdUnits*>(userdata)->job_finished(job, unit, result);
  return 0;
}

void SystemdUnits::job_finished(const std::string& job, const std::string& unit, const std::string& result) {
  auto it = jobs_.find(job);
  if (it == jobs_.end()) {
    // Only our own guests' jobs matter before their reply arrives.
    if (unit.rfind("vmm@", 0) != 0) return;
    early_results_.emplace_back(job, result);
    if (early_results_.size() > kMaxEarlyResults) early_results_.pop_front();
    return;
  }
  Done done = std::move(it->second.second);
  jobs_.erase(it);
  done(result == "done" ? vmm::Result<void>(vmm::ok()) : vmm::Result<void>(job_error(unit, result)));
}

void SystemdUnits::read_status(const std::string& unit, std::function<void(UnitStatus)> done) {
  std::string path = object_path(unit);
  sd_bus* bus = bus_;
  get_property(bus, path, "org.freedesktop.systemd1.Unit", "ActiveState", "s",
               [bus, path, done](sd_bus_message* reply) {
                 auto status = std::make_shared<UnitStatus>();
                 const char* state = nullptr;
                 if (reply == nullptr || sd_bus_message_read(reply, "s", &state) < 0) {
                   done(*status);
                   return;
                 }
                 status->active_state = state;
                 get_property(bus, path, "org.freedesktop.systemd1.Service", "MainPID", "u",
                              [status, done](sd_bus_message* pid_reply) {
                                uint32_t pid = 0;
                                if (pid_reply != nullptr && sd_bus_message_read(pid_reply, "u", &pid) >= 0) {
                                  status->main_pid = pid;
                                }
                                done(*status);
                              });
               });
}

vmm::Result<SlotPtr> SystemdUnits::watch(const std::string& unit, std::function<void()> changed) {
  auto* owned = new std::function<void()>(std::move(changed));
  sd_bus_slot* slot = nullptr;
  int r = sd_bus_match_signal_async(
      bus_, &slot, kService, object_path(unit).c_str(), "org.freedesktop.DBus.Properties", "PropertiesChanged",
      [](sd_bus_message*, void* userdata, sd_bus_error*) {
        (*static_cast<std::function<void()>*>(userdata))();
        return 0;
      },
      nullptr, owned);
  if (r < 0) {
    delete owned;
    return bus_errno_error(r, "watching " + unit);
  }
  (void)sd_bus_slot_set_destroy_callback(slot, [](void* userdata) { delete static_cast<std::function<void()>*>(userdata); });
  return SlotPtr(slot);
}

}  // namespace vmmd
