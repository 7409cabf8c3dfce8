// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

// Reprograms the two 8259A PICs to vectors VEC_PIC_BASE.. (so a stray
// interrupt cannot look like an exception) and masks every line. KVM's PIC
// starts unmasked with vector base 0.
void pic_disable(void);
