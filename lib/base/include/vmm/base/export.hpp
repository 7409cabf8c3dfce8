// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

// libvmm is built with hidden symbol visibility; only what is marked VMM_API
// is exported from libvmm.so.
#define VMM_API __attribute__((visibility("default")))
