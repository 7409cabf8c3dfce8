// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "virtio_mmio.h"

#include "arch.h"
#include "clock.h"
#include "cmdline.h"
#include "interrupts.h"
#include "ioapic.h"
#include "paging.h"

#define RESET_WAIT_US 100000
// vmm puts the windows in the 32-bit hole below the IOAPIC.
#define MMIO_HOLE_START 0xc0000000ull
#define MMIO_HOLE_END 0x100000000ull

uint32_t virtio_read(const struct virtio_dev* d, enum virtio_mmio_reg reg) {
  return mmio_read32(d->base + reg);
}
void virtio_write(const struct virtio_dev* d, enum virtio_mmio_reg reg, uint32_t value) {
  mmio_write32(d->base + reg, value);
}
uint32_t virtio_status(const struct virtio_dev* d) { return virtio_read(d, VIRTIO_MMIO_STATUS); }

// Parses "<size>[K|M]@<base>:<irq>[:<id>]" (Linux's virtio_mmio.device=).
static bool parse_entry(const char* s, size_t len, struct virtio_dev* d) {
  size_t at = 0, colon = 0;
  while (at < len && s[at] != '@') at++;
  for (colon = at; colon < len && s[colon] != ':'; colon++) {
  }
  size_t irq_end = colon + 1;
  while (irq_end < len && s[irq_end] != ':') irq_end++;
  if (at == 0 || at >= len || colon >= len) return false;
  uint64_t size, base, irq, unit = 1;
  size_t size_len = at;
  if (s[size_len - 1] == 'K' || s[size_len - 1] == 'k') unit = KiB(1);
  if (s[size_len - 1] == 'M' || s[size_len - 1] == 'm') unit = MiB(1);
  if (unit != 1) size_len--;
  if (!parse_u64(s, size_len, &size) || !parse_u64(s + at + 1, colon - at - 1, &base) ||
      !parse_u64(s + colon + 1, irq_end - colon - 1, &irq))
    return false;
  *d = (struct virtio_dev){.base = base, .window_size = size * unit, .gsi = (unsigned)irq, .pin = -1};
  return size && size <= MiB(1) && irq < 256 && base >= MMIO_HOLE_START &&
         base + size * unit <= MMIO_HOLE_END;
}

unsigned virtio_probe(const struct guest* g, struct virtio_dev* out, unsigned max, struct sink* detail) {
  size_t pos = 0, len;
  const char* v;
  unsigned n = 0, position = 0;
  while (cmdline_next(&g->boot, "virtio_mmio.device", &pos, &v, &len)) {
    struct virtio_dev d;
    if (!parse_entry(v, len, &d)) {
      add_failure(detail, "unusable virtio_mmio.device=%.*s", (int)len, v);
    } else if (n < max) {
      d.position = position;
      paging_set_uncached(d.base, d.window_size);
      bool v2 = virtio_read(&d, VIRTIO_MMIO_MAGIC) == VIRTIO_MMIO_MAGIC_VALUE &&
                virtio_read(&d, VIRTIO_MMIO_VERSION) == 2;
      d.device_id = v2 ? virtio_read(&d, VIRTIO_MMIO_DEVICE_ID) : 0;
      out[n++] = d;
    }
    position++;
  }
  return n;
}

bool virtio_find(const struct guest* g, uint32_t type, unsigned nth, struct virtio_dev* out,
                 struct sink* detail) {
  struct virtio_dev all[VIRTIO_MAX_DEVICES];
  unsigned n = virtio_probe(g, all, VIRTIO_MAX_DEVICES, detail);
  for (unsigned i = 0; i < n; i++) {
    if (all[i].device_id == type && nth-- == 0) {
      *out = all[i];
      return true;
    }
  }
  add_failure(detail, "no virtio device of type %u among the %u virtio_mmio.device= entries", type, n);
  return false;
}

static bool status_is_zero(void* arg) { return virtio_status(arg) == 0; }

bool virtio_reset(struct virtio_dev* d) {
  virtio_write(d, VIRTIO_MMIO_STATUS, 0);
  return status_is_zero(d) || wait_until(status_is_zero, d, RESET_WAIT_US);
}

static void add_status(const struct virtio_dev* d, uint32_t bits) {
  virtio_write(d, VIRTIO_MMIO_STATUS, virtio_status(d) | bits);
}

static uint64_t device_features(const struct virtio_dev* d) {
  virtio_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
  uint64_t high = virtio_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
  virtio_write(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
  return high << 32 | virtio_read(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

bool virtio_begin_init(struct virtio_dev* d, uint64_t wanted, struct sink* detail) {
  uint32_t magic = virtio_read(d, VIRTIO_MMIO_MAGIC), version = virtio_read(d, VIRTIO_MMIO_VERSION);
  if (magic != VIRTIO_MMIO_MAGIC_VALUE || version != 2) {
    add_failure(detail, "device at %#lx: magic %#x version %u, want %#x version 2", d->base, magic, version,
                VIRTIO_MMIO_MAGIC_VALUE);
    return false;
  }
  if (!virtio_reset(d)) {
    add_failure(detail, "device at %#lx: Status reads %#x after reset, want 0", d->base, virtio_status(d));
    return false;
  }
  add_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
  add_status(d, VIRTIO_STATUS_DRIVER);
  d->offered = device_features(d);
  if (!(d->offered & VIRTIO_F_VERSION_1)) {
    add_failure(detail, "device at %#lx does not offer VIRTIO_F_VERSION_1 (features %#lx)", d->base,
                d->offered);
    return false;
  }
  d->negotiated = (d->offered & wanted) | VIRTIO_F_VERSION_1;
  virtio_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
  virtio_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(d->negotiated >> 32));
  virtio_write(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  virtio_write(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)d->negotiated);
  add_status(d, VIRTIO_STATUS_FEATURES_OK);
  uint32_t status = virtio_status(d);
  if (!(status & VIRTIO_STATUS_FEATURES_OK)) {
    add_failure(detail, "device at %#lx refused features %#lx (Status %#x)", d->base, d->negotiated, status);
    return false;
  }
  return true;
}

void virtio_driver_ok(const struct virtio_dev* d) { add_status(d, VIRTIO_STATUS_DRIVER_OK); }

// Reads until ConfigGeneration is the same before and after (4.2.2, 2.5.1).
static uint64_t config_read(const struct virtio_dev* d, uint32_t offset, unsigned width) {
  uint64_t value = 0;
  for (unsigned attempt = 0; attempt < 8; attempt++) {
    uint32_t before = virtio_read(d, VIRTIO_MMIO_CONFIG_GENERATION);
    uint64_t addr = d->base + VIRTIO_MMIO_CONFIG + offset;
    if (width == 1) value = *(volatile uint8_t*)addr;
    if (width == 4) value = mmio_read32(addr);
    if (width == 8) value = mmio_read32(addr) | (uint64_t)mmio_read32(addr + 4) << 32;
    if (virtio_read(d, VIRTIO_MMIO_CONFIG_GENERATION) == before) break;
  }
  return value;
}

uint8_t virtio_config8(const struct virtio_dev* d, uint32_t offset) {
  return (uint8_t)config_read(d, offset, 1);
}
uint32_t virtio_config32(const struct virtio_dev* d, uint32_t offset) {
  return (uint32_t)config_read(d, offset, 4);
}
uint64_t virtio_config64(const struct virtio_dev* d, uint32_t offset) { return config_read(d, offset, 8); }

// The device whose interrupt VEC_VIRTIO carries (one at a time).
static const struct virtio_dev* irq_device;
static volatile uint32_t irq_status_seen;

static void virtio_irq(unsigned vector) {
  (void)vector;
  if (!irq_device) return;
  uint32_t status = virtio_read(irq_device, VIRTIO_MMIO_INTERRUPT_STATUS);
  virtio_write(irq_device, VIRTIO_MMIO_INTERRUPT_ACK, status);
  irq_status_seen |= status;
}

int virtio_irq_attach(const struct guest* g, struct virtio_dev* d) {
  const char* why = "";
  irq_device = d;
  irq_status_seen = 0;
  irq_reset_count(VEC_VIRTIO);
  irq_set_handler(VEC_VIRTIO, virtio_irq);
  d->pin = ioapic_route_gsi(&g->mp, d->gsi, VEC_VIRTIO, &why);
  return d->pin;
}

void virtio_irq_detach(const struct guest* g, struct virtio_dev* d) {
  if (d->pin >= 0) ioapic_mask_gsi(&g->mp, (unsigned)d->pin);
  irq_device = NULL;
}

uint32_t virtio_irq_count(void) { return irq_count(VEC_VIRTIO); }

static bool irq_seen(void* arg) {
  (void)arg;
  return irq_count(VEC_VIRTIO) > 0;
}

uint32_t virtio_irq_wait(uint64_t timeout_us) {
  if (irq_device && irq_device->pin >= 0) wait_until(irq_seen, NULL, timeout_us);
  return irq_count(VEC_VIRTIO);
}

uint32_t virtio_irq_take_status(void) {
  uint32_t s = irq_status_seen;
  irq_status_seen = 0;
  return s;
}
