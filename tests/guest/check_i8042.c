// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// reset: the i8042 is there (self test, command byte); the real test is the
// reset through it after the summary. ctrlaltdel: the host's shutdown
// request arrives as the Ctrl-Alt-Del scancodes on IRQ 1.
#include "arch.h"
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "i8042.h"
#include "interrupts.h"
#include "ioapic.h"

#define SCANCODE_LOG 24

bool check_reset(const struct guest* g, struct sink* detail) {
  (void)g;
  i8042_flush();
  uint8_t result = 0, config = 0;
  if (!i8042_command(I8042_CMD_SELF_TEST) || !i8042_read_data(&result)) {
    sink_printf(detail, "no i8042: self test (0xaa) got no answer (status %#x)", i8042_status());
    return false;
  }
  if (result != I8042_SELF_TEST_OK) {
    sink_printf(detail, "i8042 self test answered %#x, want 0x55 (status %#x)", result, i8042_status());
    return false;
  }
  if (!i8042_command(I8042_CMD_READ_CONFIG) || !i8042_read_data(&config)) {
    sink_printf(detail, "i8042 answered the self test but not command 0x20 (read command byte)");
    return false;
  }
  sink_printf(detail, "i8042 self test 0x55, command byte %#x; the reset through it follows the summary",
              config);
  return true;
}

// Make codes of Ctrl, Alt, Delete: scan code set 1 (what an i8042 passes
// on with translation on) and set 2 (without it).
static const uint8_t cad_set1[] = {0x1d, 0x38, 0xe0, 0x53};
static const uint8_t cad_set2[] = {0x14, 0x11, 0xe0, 0x71};

struct scancodes {
  uint8_t log[SCANCODE_LOG];
  unsigned n, matched1, matched2;
};

static void match(unsigned* state, const uint8_t* seq, uint8_t code) {
  if (*state < 4) *state = code == seq[*state] ? *state + 1 : (code == seq[0] ? 1 : 0);
}

static bool cad_seen(void* arg) {
  struct scancodes* s = arg;
  for (unsigned i = 0; i < 64 && (i8042_status() & I8042_STATUS_OBF); i++) {
    uint8_t code = inb(0x60);
    if (s->n < SCANCODE_LOG) s->log[s->n] = code;
    s->n++;
    match(&s->matched1, cad_set1, code);
    match(&s->matched2, cad_set2, code);
  }
  return s->matched1 == 4 || s->matched2 == 4;
}

static void log_codes(struct sink* d, const struct scancodes* s) {
  unsigned shown = s->n < SCANCODE_LOG ? s->n : SCANCODE_LOG;
  for (unsigned i = 0; i < shown; i++) sink_printf(d, "%s%02x", i ? " " : "", s->log[i]);
  if (!shown) sink_printf(d, "none");
}

bool check_ctrlaltdel(const struct guest* g, struct sink* detail) {
  uint64_t timeout_ms = cmdline_u64(&g->boot, "vmmkit.cad_timeout_ms", 10000);
  if (i8042_status() == 0xff) {
    sink_printf(detail, "no i8042 (status port reads 0xff)");
    return false;
  }
  // Keyboard interrupts on (command byte bit 0), IRQ 1 through the IOAPIC;
  // the status register is polled on every wake-up as well.
  uint8_t config = 0;
  if (i8042_command(I8042_CMD_READ_CONFIG) && i8042_read_data(&config)) {
    (void)(i8042_command(I8042_CMD_WRITE_CONFIG) && i8042_write_data(config | I8042_CONFIG_KBD_INT));
  }
  const char* why = "";
  int pin = ioapic_route_isa_irq(&g->mp, I8042_ISA_IRQ, VEC_KEYBOARD, &why);
  say("ctrlaltdel: waiting up to %lu ms for Ctrl-Alt-Del on the keyboard (IRQ 1 %s%s)", timeout_ms,
      pin >= 0 ? "through the IOAPIC" : "not routed: ", pin >= 0 ? "" : why);
  static struct scancodes s;
  s = (struct scancodes){0};
  irq_reset_count(VEC_KEYBOARD);
  bool ok = wait_until(cad_seen, &s, timeout_ms * 1000);
  if (pin >= 0) ioapic_mask_isa_irq(&g->mp, I8042_ISA_IRQ);
  if (ok) {
    sink_printf(detail, "Ctrl-Alt-Del received (%u keyboard interrupts), scancodes ",
                irq_count(VEC_KEYBOARD));
  } else {
    sink_printf(detail, "no Ctrl-Alt-Del within %lu ms (%u keyboard interrupts), scancodes ", timeout_ms,
                irq_count(VEC_KEYBOARD));
  }
  log_codes(detail, &s);
  return ok;
}
