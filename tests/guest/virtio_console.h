// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The virtio console driver the checks share (VIRTIO 1.2, 5.3.2: port 0's
// receiveq is queue 0, its transmitq queue 1).
#pragma once

#include "virtqueue.h"

enum { VCONSOLE_RX = 0, VCONSOLE_TX = 1 };
#define VCONSOLE_TIMEOUT_US 2000000

// Opens the console with receive buffers posted.
bool vconsole_open(const struct guest* g, struct virtio_dev* d, struct virtq* q, struct sink* detail);
// Sends bytes through transmitq0 and waits until the device used them.
bool vconsole_send(struct virtio_dev* d, struct virtq* tx, const void* text, uint32_t len,
                   struct sink* detail);
