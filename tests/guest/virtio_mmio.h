// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// A minimal virtio-mmio (version 2) driver: the devices named by the
// command line's `virtio_mmio.device=<size>@<base>:<irq>` entries (Linux's
// syntax, drivers/virtio/virtio_mmio.c), the status and feature handshake
// (VIRTIO 1.2, 3.1.1) and the register layout of 4.2.2.
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "checks.h"

// Register offsets (VIRTIO 1.2, 4.2.2 table "MMIO Device Register Layout").
enum virtio_mmio_reg {
  VIRTIO_MMIO_MAGIC = 0x000,
  VIRTIO_MMIO_VERSION = 0x004,
  VIRTIO_MMIO_DEVICE_ID = 0x008,
  VIRTIO_MMIO_VENDOR_ID = 0x00c,
  VIRTIO_MMIO_DEVICE_FEATURES = 0x010,
  VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014,
  VIRTIO_MMIO_DRIVER_FEATURES = 0x020,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024,
  VIRTIO_MMIO_QUEUE_SEL = 0x030,
  VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034,
  VIRTIO_MMIO_QUEUE_NUM = 0x038,
  VIRTIO_MMIO_QUEUE_READY = 0x044,
  VIRTIO_MMIO_QUEUE_NOTIFY = 0x050,
  VIRTIO_MMIO_INTERRUPT_STATUS = 0x060,
  VIRTIO_MMIO_INTERRUPT_ACK = 0x064,
  VIRTIO_MMIO_STATUS = 0x070,
  VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080,
  VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084,
  VIRTIO_MMIO_QUEUE_DRIVER_LOW = 0x090,
  VIRTIO_MMIO_QUEUE_DRIVER_HIGH = 0x094,
  VIRTIO_MMIO_QUEUE_DEVICE_LOW = 0x0a0,
  VIRTIO_MMIO_QUEUE_DEVICE_HIGH = 0x0a4,
  VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc,
  VIRTIO_MMIO_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u  // "virt"

// Device status bits (2.1).
enum {
  VIRTIO_STATUS_ACKNOWLEDGE = 1,
  VIRTIO_STATUS_DRIVER = 2,
  VIRTIO_STATUS_DRIVER_OK = 4,
  VIRTIO_STATUS_FEATURES_OK = 8,
  VIRTIO_STATUS_NEEDS_RESET = 0x40,
  VIRTIO_STATUS_FAILED = 0x80,
};

// Device types (5): the ones vmm provides.
enum virtio_id {
  VIRTIO_ID_NET = 1,
  VIRTIO_ID_BLOCK = 2,
  VIRTIO_ID_CONSOLE = 3,
  VIRTIO_ID_RNG = 4,
  VIRTIO_ID_VSOCK = 19
};

// Reserved feature bits (6).
#define VIRTIO_F_INDIRECT_DESC (1ull << 28)
#define VIRTIO_F_VERSION_1 (1ull << 32)

// InterruptStatus bits (4.2.2).
#define VIRTIO_INT_USED_RING 1u
#define VIRTIO_INT_CONFIG 2u

#define VIRTIO_MAX_DEVICES 16

struct virtio_dev {
  uint64_t base;  // MMIO window
  uint64_t window_size;
  unsigned gsi;       // IOAPIC input named on the command line
  unsigned position;  // index among the command line's entries
  uint32_t device_id;
  uint64_t offered;     // DeviceFeatures, both pages
  uint64_t negotiated;  // what the driver wrote and the device took (FEATURES_OK)
  int pin;              // IOAPIC pin routed to VEC_VIRTIO, or -1
};

uint32_t virtio_read(const struct virtio_dev* d, enum virtio_mmio_reg reg);
void virtio_write(const struct virtio_dev* d, enum virtio_mmio_reg reg, uint32_t value);
uint32_t virtio_status(const struct virtio_dev* d);

// Every well-formed `virtio_mmio.device=` entry, in command-line order;
// device_id is read from the window (0 when the magic or version is wrong).
// Returns the count; `detail` gets the entries that could not be used.
unsigned virtio_probe(const struct guest* g, struct virtio_dev* out, unsigned max, struct sink* detail);
// The nth (from 0) device of `type` on the command line; false with a
// failure in `detail` when there is none.
bool virtio_find(const struct guest* g, uint32_t type, unsigned nth, struct virtio_dev* out,
                 struct sink* detail);

// Writes 0 to Status and waits until it reads back 0 (4.2.3.1.1).
bool virtio_reset(struct virtio_dev* d);
// Reset, ACKNOWLEDGE, DRIVER, features (`wanted` & offered, plus
// VERSION_1, which must be offered), FEATURES_OK written and read back
// (3.1.1). False with the reason in `detail`.
bool virtio_begin_init(struct virtio_dev* d, uint64_t wanted, struct sink* detail);
// Sets DRIVER_OK after the queues are set up.
void virtio_driver_ok(const struct virtio_dev* d);

// The device's config space (4.2.2: little endian, generation-checked).
uint8_t virtio_config8(const struct virtio_dev* d, uint32_t offset);
uint32_t virtio_config32(const struct virtio_dev* d, uint32_t offset);
uint64_t virtio_config64(const struct virtio_dev* d, uint32_t offset);

// Routes the device's GSI to VEC_VIRTIO (edge, active high, as vmm's
// irqfds deliver it); the handler reads and acknowledges InterruptStatus.
// -1 when the MP table has no IOAPIC or the pin does not exist.
int virtio_irq_attach(const struct guest* g, struct virtio_dev* d);
void virtio_irq_detach(const struct guest* g, struct virtio_dev* d);
uint32_t virtio_irq_count(void);
// The interrupt count once it is non-zero or timeout_us passed: the device
// may have completed everything while interrupts were off (polling), with
// its interrupt still pending in the LAPIC.
uint32_t virtio_irq_wait(uint64_t timeout_us);
// InterruptStatus bits seen by the handler since the last call.
uint32_t virtio_irq_take_status(void);
