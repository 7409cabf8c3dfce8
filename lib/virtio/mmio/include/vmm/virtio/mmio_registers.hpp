// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

// The virtio-mmio register layout, version 2 ("non-legacy"), from VIRTIO 1.2
// §4.2.2 Table 4.1 "MMIO Device Register Layout", and the device status bits
// of §2.1. Every register below kConfig is 32 bits wide and 4-byte aligned.
namespace vmm::virtio::mmio {

enum class Register : uint32_t {
  kMagicValue = 0x000,         // R: 0x74726976 ("virt")
  kVersion = 0x004,            // R: 2 (0x1 is the legacy interface, not offered)
  kDeviceId = 0x008,           // R: the virtio device type (§5)
  kVendorId = 0x00c,           // R: kVendorId below
  kDeviceFeatures = 0x010,     // R: 32 offered feature bits of page DeviceFeaturesSel
  kDeviceFeaturesSel = 0x014,  // W: page of DeviceFeatures
  kDriverFeatures = 0x020,     // W: 32 accepted feature bits of page DriverFeaturesSel
  kDriverFeaturesSel = 0x024,  // W: page of DriverFeatures
  kQueueSel = 0x030,           // W: the queue the Queue* registers address
  kQueueNumMax = 0x034,        // R: largest size of the selected queue, 0 if it does not exist
  kQueueNum = 0x038,           // W: size of the selected queue
  kQueueReady = 0x044,         // RW: the selected queue is live
  kQueueNotify = 0x050,        // W: index of a queue with new buffers
  kInterruptStatus = 0x060,    // R: why the interrupt was raised (kInterrupt* bits)
  kInterruptAck = 0x064,       // W: clears the written InterruptStatus bits
  kStatus = 0x070,             // RW: device status (§2.1), 0 resets the device
  kQueueDescLow = 0x080,       // W: descriptor table address, bits 0-31
  kQueueDescHigh = 0x084,      //    and bits 32-63
  kQueueDriverLow = 0x090,     // W: available ring ("driver area") address
  kQueueDriverHigh = 0x094,
  kQueueDeviceLow = 0x0a0,  // W: used ring ("device area") address
  kQueueDeviceHigh = 0x0a4,
  kShmSel = 0x0ac,     // W: shared memory region id
  kShmLenLow = 0x0b0,  // R: region length, -1 for "no such region"
  kShmLenHigh = 0x0b4,
  kShmBaseLow = 0x0b8,  // R: region base
  kShmBaseHigh = 0x0bc,
  kQueueReset = 0x0c0,        // RW: only with VIRTIO_F_RING_RESET, never offered here
  kConfigGeneration = 0x0fc,  // R: changes whenever the configuration space may have changed
  kConfig = 0x100,            // RW: the device-specific configuration space starts here
};

inline constexpr uint32_t kMagicValue = 0x74726976;  // "virt" little endian
inline constexpr uint32_t kVersion = 2;
// The spec leaves VendorID to the implementation (Linux matches drivers on
// DeviceID only): "VMMK" little endian, i.e. bytes 'V' 'M' 'M' 'K'.
inline constexpr uint32_t kVendorId = 0x4b4d4d56;
// SHMLenLow/High for a region id that does not exist (§4.2.2: "-1").
inline constexpr uint32_t kNoShmRegion = 0xffffffff;

// InterruptStatus / InterruptACK bits (§4.2.2).
inline constexpr uint32_t kInterruptVring = 0x1;   // used buffer notification
inline constexpr uint32_t kInterruptConfig = 0x2;  // configuration change notification
inline constexpr uint32_t kInterruptMask = kInterruptVring | kInterruptConfig;

// Device status bits (§2.1), in the order a driver sets them (§3.1.1).
inline constexpr uint32_t kStatusAcknowledge = 0x01;
inline constexpr uint32_t kStatusDriver = 0x02;
inline constexpr uint32_t kStatusFeaturesOk = 0x08;
inline constexpr uint32_t kStatusDriverOk = 0x04;
inline constexpr uint32_t kStatusNeedsReset = 0x40;  // set by the device only
inline constexpr uint32_t kStatusFailed = 0x80;
// What a driver may write.
inline constexpr uint32_t kStatusDriverBits =
    kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk | kStatusFailed;

}  // namespace vmm::virtio::mmio
