// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "uart.h"

#include "arch.h"

// A transmitter that never reports THRE must not hang the guest: after this
// many LSR polls the byte is written anyway (each poll is one VM exit).
#define THRE_POLL_LIMIT 10000

#define SAVED_INPUT_SIZE 64

static unsigned tx_burst = 1;  // bytes the transmitter takes per THRE: 16 with the FIFO on
static struct {
  uint8_t bytes[SAVED_INPUT_SIZE];
  unsigned head, count;
} saved;

uint8_t uart_read(enum uart_reg reg) { return inb((uint16_t)(COM1_PORT + reg)); }
void uart_write_reg(enum uart_reg reg, uint8_t value) { outb((uint16_t)(COM1_PORT + reg), value); }

void uart_init(void) {
  uart_write_reg(UART_IER, 0);
  uart_write_reg(UART_LCR, UART_LCR_8N1);  // DLAB off, so RBR reads data
  uart_save_input();
  uart_write_reg(UART_LCR, UART_LCR_DLAB);
  uart_write_reg(UART_RBR_THR, 1);  // divisor latch: 115200 / 1
  uart_write_reg(UART_IER, 0);
  uart_write_reg(UART_LCR, UART_LCR_8N1);
  uart_write_reg(UART_IIR_FCR, UART_FCR_NORMAL);
  uart_write_reg(UART_MCR, UART_MCR_NORMAL);
  // IIR bits 7:6 read 11 when the FIFOs are enabled (16550A); then THRE
  // means the whole 16-byte transmit FIFO is empty.
  tx_burst = (uart_read(UART_IIR_FCR) & UART_IIR_FIFO_BITS) == UART_IIR_FIFO_BITS ? 16 : 1;
}

void uart_write(const char* text, size_t len) {
  while (len) {
    for (unsigned i = 0; i < THRE_POLL_LIMIT && !(uart_read(UART_LSR) & UART_LSR_THRE); i++) cpu_pause();
    for (unsigned n = 0; n < tx_burst && len; n++, len--) uart_write_reg(UART_RBR_THR, (uint8_t)*text++);
  }
}

void uart_save_input(void) {
  // An absent UART reads 0xff, DR included: bound the loop.
  for (unsigned i = 0; i < SAVED_INPUT_SIZE && (uart_read(UART_LSR) & UART_LSR_DR); i++) {
    uint8_t byte = uart_read(UART_RBR_THR);
    if (saved.count < SAVED_INPUT_SIZE) saved.bytes[(saved.head + saved.count++) % SAVED_INPUT_SIZE] = byte;
  }
}

int uart_getc(void) {
  if (saved.count) {
    uint8_t byte = saved.bytes[saved.head];
    saved.head = (saved.head + 1) % SAVED_INPUT_SIZE;
    saved.count--;
    return byte;
  }
  if (!(uart_read(UART_LSR) & UART_LSR_DR)) return -1;
  return uart_read(UART_RBR_THR);
}
