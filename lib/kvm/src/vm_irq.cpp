// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// VM interrupt plumbing: IRQ lines, irqfd, ioeventfd, GSI routing and MSIs
// (Documentation/virt/kvm/api.rst, section 4).
#include <cstddef>
#include <string>

#include <vmm/kvm/vm.hpp>

#include "flex_buffer.hpp"
#include "ioctl.hpp"
#include "kvm_abi.hpp"

namespace vmm {

using kvm_detail::FlexBuffer;
using kvm_detail::ioctl_result;
using kvm_detail::ioctl_retry;

namespace {

// KVM_MAX_IRQ_ROUTES in the kernel (include/linux/kvm_host.h); not in the uapi.
constexpr size_t kMaxIrqRoutes = 4096;

kvm_irqfd make_irqfd(const EventFd& event, uint32_t gsi) {
  kvm_irqfd irqfd{};
  irqfd.fd = static_cast<uint32_t>(event.fd());
  irqfd.gsi = gsi;
  return irqfd;
}

kvm_ioeventfd make_ioeventfd(const EventFd& event, const IoEventAddress& where) {
  kvm_ioeventfd ioeventfd{};
  ioeventfd.addr = where.address;
  ioeventfd.len = where.length;
  ioeventfd.fd = event.fd();
  if (where.space == IoEventAddress::Space::kPio) ioeventfd.flags |= KVM_IOEVENTFD_FLAG_PIO;
  if (where.match_data) {
    ioeventfd.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
    ioeventfd.datamatch = where.data;
  }
  return ioeventfd;
}

std::string describe(const IoEventAddress& where) {
  std::string text = where.space == IoEventAddress::Space::kPio ? "pio " : "mmio ";
  text += hex(where.address) + " len " + std::to_string(where.length);
  if (where.match_data) text += " data " + hex(where.data);
  return text;
}

kvm_irq_routing_entry make_route(const GsiRoute& route) {
  kvm_irq_routing_entry entry{};
  entry.gsi = route.gsi;
  if (route.kind == GsiRoute::Kind::kIrqchip) {
    entry.type = KVM_IRQ_ROUTING_IRQCHIP;
    entry.u.irqchip.irqchip = route.irqchip;
    entry.u.irqchip.pin = route.pin;
  } else {
    entry.type = KVM_IRQ_ROUTING_MSI;
    entry.u.msi.address_lo = static_cast<uint32_t>(route.msi_address);
    entry.u.msi.address_hi = static_cast<uint32_t>(route.msi_address >> 32);
    entry.u.msi.data = route.msi_data;
  }
  return entry;
}

}  // namespace

Result<void> Vm::set_irq_line(uint32_t gsi, bool level) {
  kvm_irq_level irq_level{};
  irq_level.irq = gsi;
  irq_level.level = level ? 1 : 0;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_IRQ_LINE, &irq_level),
                      [&] { return "KVM_IRQ_LINE gsi " + std::to_string(gsi); });
}

Result<void> Vm::register_irqfd(const EventFd& event, uint32_t gsi, const EventFd* resample) {
  kvm_irqfd irqfd = make_irqfd(event, gsi);
  // api.rst, KVM_IRQFD: with KVM_IRQFD_FLAG_RESAMPLE the GSI is level-triggered;
  // KVM de-asserts it on guest EOI and signals resamplefd so the device can
  // re-assert if still pending.
  if (resample != nullptr) {
    irqfd.flags = KVM_IRQFD_FLAG_RESAMPLE;
    irqfd.resamplefd = static_cast<uint32_t>(resample->fd());
  }
  return ioctl_result(ioctl_retry(fd_.get(), KVM_IRQFD, &irqfd),
                      [&] { return "KVM_IRQFD gsi " + std::to_string(gsi); });
}

Result<void> Vm::unregister_irqfd(const EventFd& event, uint32_t gsi) {
  kvm_irqfd irqfd = make_irqfd(event, gsi);
  irqfd.flags = KVM_IRQFD_FLAG_DEASSIGN;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_IRQFD, &irqfd),
                      [&] { return "KVM_IRQFD deassign gsi " + std::to_string(gsi); });
}

Result<void> Vm::register_ioeventfd(const EventFd& event, const IoEventAddress& where) {
  kvm_ioeventfd ioeventfd = make_ioeventfd(event, where);
  return ioctl_result(ioctl_retry(fd_.get(), KVM_IOEVENTFD, &ioeventfd),
                      [&] { return "KVM_IOEVENTFD " + describe(where); });
}

Result<void> Vm::unregister_ioeventfd(const EventFd& event, const IoEventAddress& where) {
  // api.rst, KVM_IOEVENTFD: deassign must repeat the address, length, fd and datamatch.
  kvm_ioeventfd ioeventfd = make_ioeventfd(event, where);
  ioeventfd.flags |= KVM_IOEVENTFD_FLAG_DEASSIGN;
  return ioctl_result(ioctl_retry(fd_.get(), KVM_IOEVENTFD, &ioeventfd),
                      [&] { return "KVM_IOEVENTFD deassign " + describe(where); });
}

Result<void> Vm::set_gsi_routing(std::span<const GsiRoute> routes) {
  if (routes.size() > kMaxIrqRoutes)
    return Error(KvmErrc::kTooManyEntries, "KVM_SET_GSI_ROUTING: " + std::to_string(routes.size()) +
                                               " routes, KVM accepts at most " +
                                               std::to_string(kMaxIrqRoutes));
  // api.rst, KVM_SET_GSI_ROUTING: the table replaces the whole previous one.
  FlexBuffer<kvm_detail::IrqRoutingHeader, kvm_irq_routing_entry> table(routes.size());
  table.header()->nr = static_cast<uint32_t>(routes.size());
  for (size_t i = 0; i < routes.size(); ++i) table.entries()[i] = make_route(routes[i]);
  return ioctl_result(ioctl_retry(fd_.get(), kvm_detail::kSetGsiRouting, table.header()),
                      "KVM_SET_GSI_ROUTING");
}

Result<bool> Vm::signal_msi(uint64_t address, uint32_t data) {
  kvm_msi msi{};
  msi.address_lo = static_cast<uint32_t>(address);
  msi.address_hi = static_cast<uint32_t>(address >> 32);
  msi.data = data;
  // api.rst, KVM_SIGNAL_MSI: >0 delivered, 0 blocked by the guest (e.g. masked), <0 error.
  int ret = ioctl_retry(fd_.get(), KVM_SIGNAL_MSI, &msi);
  VMM_TRY(ioctl_result(ret, [&] { return "KVM_SIGNAL_MSI " + hex(address) + " data " + hex(data); }));
  return ret > 0;
}

}  // namespace vmm
