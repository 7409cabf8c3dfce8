// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// 16550 UART on COM1 (I/O 0x3f8, ISA IRQ 4). Register offsets and bits are
// the 16550D datasheet's (also Linux include/uapi/linux/serial_reg.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#define COM1_PORT 0x3f8
#define COM1_ISA_IRQ 4

enum uart_reg {
  UART_RBR_THR = 0,  // receive buffer (read) / transmit holding (write); DLL when LCR.DLAB
  UART_IER = 1,      // interrupt enable; DLM when LCR.DLAB
  UART_IIR_FCR = 2,  // interrupt identification (read) / FIFO control (write)
  UART_LCR = 3,
  UART_MCR = 4,
  UART_LSR = 5,
  UART_MSR = 6,
  UART_SCR = 7,
};

enum {
  UART_IER_RDA = 0x01,   // received data available
  UART_IER_THRE = 0x02,  // transmit holding register empty
  UART_IIR_NO_INT = 0x01,
  UART_IIR_ID_MASK = 0x0f,
  UART_IIR_ID_THRE = 0x02,
  UART_IIR_ID_RDA = 0x04,
  UART_IIR_ID_TIMEOUT = 0x0c,  // character timeout (FIFO mode); also "data available"
  UART_IIR_FIFO_BITS = 0xc0,
  UART_FCR_ENABLE = 0x01,
  UART_FCR_CLEAR_RX = 0x02,
  UART_FCR_CLEAR_TX = 0x04,
  UART_LCR_8N1 = 0x03,
  UART_LCR_DLAB = 0x80,
  UART_MCR_DTR = 0x01,
  UART_MCR_RTS = 0x02,
  UART_MCR_OUT2 = 0x08,  // gates the IRQ line on PCs
  UART_MCR_LOOP = 0x10,
  UART_LSR_DR = 0x01,
  UART_LSR_THRE = 0x20,
  UART_LSR_TEMT = 0x40,
};

#define UART_MCR_NORMAL (UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2)
// FIFOs on, receive trigger level 1 byte. No "clear receive FIFO": host
// input may already wait there.
#define UART_FCR_NORMAL (UART_FCR_ENABLE | UART_FCR_CLEAR_TX)

uint8_t uart_read(enum uart_reg reg);
void uart_write_reg(enum uart_reg reg, uint8_t value);

// 115200 8N1, FIFOs on, interrupts off.
void uart_init(void);
void uart_write(const char* text, size_t len);
// Moves received bytes into a small buffer that uart_getc() reads first:
// done before anything that clears the receive FIFO (enabling the FIFOs,
// FCR bit 1, loopback tests), so host input typed early is not lost.
void uart_save_input(void);
// The next received byte, or -1 when there is none.
int uart_getc(void);
