// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include "pic.h"

#include "arch.h"
#include "interrupts.h"

enum { PIC1_CMD = 0x20, PIC1_DATA = 0x21, PIC2_CMD = 0xa0, PIC2_DATA = 0xa1 };

// 8259A datasheet initialization sequence: ICW1 (edge, cascade, ICW4
// needed), ICW2 vector base, ICW3 cascade wiring (slave on IRQ 2), ICW4
// 8086 mode; then OCW1 masks all lines.
void pic_disable(void) {
  outb(PIC1_CMD, 0x11);
  outb(PIC2_CMD, 0x11);
  outb(PIC1_DATA, VEC_PIC_BASE);
  outb(PIC2_DATA, VEC_PIC_BASE + 8);
  outb(PIC1_DATA, 0x04);
  outb(PIC2_DATA, 0x02);
  outb(PIC1_DATA, 0x01);
  outb(PIC2_DATA, 0x01);
  outb(PIC1_DATA, 0xff);
  outb(PIC2_DATA, 0xff);
}
