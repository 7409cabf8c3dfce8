// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// serial: the 16550's receive path, LSR, FIFO and IIR through loopback mode
// (MCR bit 4: the transmitter feeds the receiver, nothing reaches the
// host), then the IRQ 4 line through the IOAPIC.
// input: one line typed at (or piped into) the host side of COM1.
#include "arch.h"
#include "checks.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "interrupts.h"
#include "ioapic.h"
#include "uart.h"

#define DR_POLL_LIMIT 1000
#define FIFO_TEST_BYTES 8
#define IRQ_WAIT_US 100000
#define INPUT_MAX 120

static uint8_t lsr(void) { return uart_read(UART_LSR); }
static uint8_t iir_id(void) { return uart_read(UART_IIR_FCR) & UART_IIR_ID_MASK; }

static bool wait_data(void) {
  for (unsigned i = 0; i < DR_POLL_LIMIT; i++) {
    if (lsr() & UART_LSR_DR) return true;
  }
  return false;
}

static void drain(void) {
  for (unsigned i = 0; i < 64 && (lsr() & UART_LSR_DR); i++) (void)uart_read(UART_RBR_THR);
}

static void loopback_one_byte(struct sink* d) {
  uint8_t l = lsr();
  if ((l & (UART_LSR_DR | UART_LSR_THRE | UART_LSR_TEMT)) != (UART_LSR_THRE | UART_LSR_TEMT)) {
    add_failure(d, "idle LSR %#x, want THRE and TEMT set, DR clear", l);
  }
  uart_write_reg(UART_RBR_THR, 0x5a);
  if (!wait_data()) {
    add_failure(d, "a byte sent in loopback mode never arrived (LSR %#x)", lsr());
    return;
  }
  uint8_t got = uart_read(UART_RBR_THR);
  if (got != 0x5a) add_failure(d, "loopback returned %#x for 0x5a", got);
  l = lsr();
  if (l & UART_LSR_DR) add_failure(d, "LSR DR still set after reading the only byte (LSR %#x)", l);
  if ((l & (UART_LSR_THRE | UART_LSR_TEMT)) != (UART_LSR_THRE | UART_LSR_TEMT)) {
    add_failure(d, "LSR THRE/TEMT not set after the byte left (LSR %#x)", l);
  }
}

static void loopback_fifo(struct sink* d) {
  static const char sent[FIFO_TEST_BYTES] = "16550A!?";
  for (unsigned i = 0; i < FIFO_TEST_BYTES; i++) uart_write_reg(UART_RBR_THR, (uint8_t)sent[i]);
  unsigned n = 0;
  for (; n < FIFO_TEST_BYTES && wait_data(); n++) {
    uint8_t got = uart_read(UART_RBR_THR);
    if (got != (uint8_t)sent[n]) {
      add_failure(d, "FIFO byte %u is %#x, want %#x", n, got, (uint8_t)sent[n]);
      break;
    }
  }
  if (n < FIFO_TEST_BYTES) add_failure(d, "FIFO gave back %u of %u bytes", n, FIFO_TEST_BYTES);
  drain();
}

// IIR reports THRE when that interrupt is enabled, and reading IIR clears
// it; it reports received data (or, in FIFO mode, a character timeout)
// until RBR is read (16550D datasheet, table 4).
static void interrupt_identification(struct sink* d) {
  uint8_t iir = uart_read(UART_IIR_FCR);
  if ((iir & UART_IIR_FIFO_BITS) != UART_IIR_FIFO_BITS)
    add_failure(d, "IIR %#x: FIFO-enabled bits 7:6 clear", iir);
  if ((iir & UART_IIR_ID_MASK) != UART_IIR_NO_INT)
    add_failure(d, "IIR %#x with IER 0: want no interrupt", iir);
  uart_write_reg(UART_IER, UART_IER_THRE);
  uint8_t id = iir_id();
  if (id != UART_IIR_ID_THRE) add_failure(d, "IIR id %#x with IER THRE, want 0x2", id);
  id = iir_id();
  if (id != UART_IIR_NO_INT) add_failure(d, "IIR id %#x after the THRE report was read, want 0x1", id);
  uart_write_reg(UART_IER, UART_IER_RDA);
  uart_write_reg(UART_RBR_THR, 0xa5);
  if (!wait_data()) add_failure(d, "the RDA test byte never arrived");
  id = iir_id();
  if (id != UART_IIR_ID_RDA && id != UART_IIR_ID_TIMEOUT)
    add_failure(d, "IIR id %#x with data and IER RDA", id);
  (void)uart_read(UART_RBR_THR);
  id = iir_id();
  if (id != UART_IIR_NO_INT) add_failure(d, "IIR id %#x after reading the data, want 0x1", id);
  uart_write_reg(UART_IER, 0);
}

static void uart_irq(unsigned vector) {
  (void)vector;
  (void)uart_read(UART_IIR_FCR);  // acknowledges a THRE interrupt
}

static bool irq_arrived(void* arg) {
  (void)arg;
  return irq_count(VEC_UART) > 0;
}

// With OUT2 set (it gates the IRQ line on PCs), enabling the THRE
// interrupt while THR is empty raises IRQ 4 at once.
static void real_interrupt(const struct guest* g, struct sink* d, struct sink* info) {
  const char* why;
  irq_set_handler(VEC_UART, uart_irq);
  irq_reset_count(VEC_UART);
  int pin = ioapic_route_isa_irq(&g->mp, COM1_ISA_IRQ, VEC_UART, &why);
  if (pin < 0) {
    add_failure(d, "IRQ 4 not tested: %s", why);
    return;
  }
  uart_write_reg(UART_IER, UART_IER_THRE);
  bool ok = wait_until(irq_arrived, NULL, IRQ_WAIT_US);
  uart_write_reg(UART_IER, 0);
  ioapic_mask_isa_irq(&g->mp, COM1_ISA_IRQ);
  if (!ok) {
    add_failure(d, "no interrupt on IOAPIC pin %d (ISA IRQ 4) within %u ms of enabling THRE", pin,
                IRQ_WAIT_US / 1000);
    return;
  }
  sink_printf(info, ", THRE interrupt on IOAPIC pin %d", pin);
}

bool check_serial(const struct guest* g, struct sink* detail) {
  char buf[128];
  struct sink info;
  sink_init(&info, buf, sizeof(buf), NULL);
  // Host input that is already waiting is kept for the input check; in
  // loopback mode no more arrives, so the FIFOs can then be cleared freely.
  uart_write_reg(UART_IER, 0);
  uart_save_input();
  uart_write_reg(UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_RTS);
  uart_save_input();
  // FIFO on with a 1-byte trigger level, so one byte makes "data available".
  uart_write_reg(UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX);
  loopback_one_byte(detail);
  loopback_fifo(detail);
  interrupt_identification(detail);
  uart_write_reg(UART_IIR_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX | UART_FCR_CLEAR_TX);
  uart_write_reg(UART_MCR, UART_MCR_NORMAL);
  if (detail->len) return false;
  real_interrupt(g, detail, &info);
  if (detail->len) return false;
  sink_printf(detail, "loopback byte and %u-byte FIFO echoed, LSR DR/THRE/TEMT and IIR THRE/RDA right%s",
              FIFO_TEST_BYTES, buf);
  return true;
}

struct line {
  char text[INPUT_MAX];
  unsigned len, received;
  bool done;
};

static bool line_complete(void* arg) {
  struct line* l = arg;
  int c;
  while (!l->done && (c = uart_getc()) >= 0) {
    l->received++;
    if (c == '\r' || c == '\n') {
      l->done = l->len > 0;  // skip empty lines (a CR LF pair, stale newlines)
    } else if (l->len < INPUT_MAX) {
      l->text[l->len++] = (char)c;
    }
  }
  return l->done;
}

static void quote(struct sink* d, const struct line* l) {
  sink_putc(d, '"');
  for (unsigned i = 0; i < l->len; i++) {
    unsigned char c = (unsigned char)l->text[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      sink_putc(d, (char)c);
    } else {
      sink_printf(d, "\\x%02x", c);
    }
  }
  sink_putc(d, '"');
}

bool check_input(const struct guest* g, struct sink* detail) {
  uint64_t timeout_ms = cmdline_u64(&g->boot, "vmmkit.input_timeout_ms", 5000);
  const char* why = "";
  irq_set_handler(VEC_UART, uart_irq);
  int pin = ioapic_route_isa_irq(&g->mp, COM1_ISA_IRQ, VEC_UART, &why);
  uart_write_reg(UART_IER, UART_IER_RDA);  // wakes the HLT early; the timer wakes it anyway
  say("input: waiting up to %lu ms for a line on the serial port", timeout_ms);
  static struct line l;
  l = (struct line){0};
  bool ok = wait_until(line_complete, &l, timeout_ms * 1000);
  uart_write_reg(UART_IER, 0);
  if (pin >= 0) ioapic_mask_isa_irq(&g->mp, COM1_ISA_IRQ);
  if (!ok) {
    sink_printf(detail, "no complete line within %lu ms (%u bytes received: ", timeout_ms, l.received);
    quote(detail, &l);
    sink_putc(detail, ')');
    return false;
  }
  sink_printf(detail, "got ");
  quote(detail, &l);
  return true;
}
