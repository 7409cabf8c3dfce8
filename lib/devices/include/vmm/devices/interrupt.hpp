// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <vmm/base/export.hpp>

namespace vmm {

// The interrupt output of a device model, as wired by the VMM (an irqfd for
// an ISA IRQ, a counter in tests). Device models call it with their own lock
// held, from vCPU threads or the event loop: it must be cheap and never block.
class VMM_API InterruptLine {
 public:
  virtual ~InterruptLine();
  // One edge: the interrupt controller latches one interrupt. The legacy
  // devices here drive edge-triggered ISA IRQs (4 for COM1, 1 for the keyboard).
  virtual void trigger() = 0;
};

// The CPU reset input, as driven by the i8042's output port bit 0 (a guest
// rebooting with `reboot=k`). The VMM typically stops the vCPUs and resets
// or exits; the call must not block.
class VMM_API ResetLine {
 public:
  virtual ~ResetLine();
  virtual void pulse() = 0;
};

// The machine's power supply, as switched off by the guest entering the ACPI
// S5 (soft off) state through the sleep control register. The VMM stops the
// vCPUs and ends the machine; the call must not block.
class VMM_API PowerOffLine {
 public:
  virtual ~PowerOffLine();
  virtual void power_off() = 0;
};

// The guest kernel's panic notifier, as signalled through the pvpanic port.
// The VMM ends the machine as failed; the call must not block.
class VMM_API PanicLine {
 public:
  virtual ~PanicLine();
  virtual void panicked() = 0;
};

}  // namespace vmm
