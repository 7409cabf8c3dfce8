// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <cstdint>

// The virtio block device protocol, VIRTIO 1.2 §5.2. Everything on the wire
// is little endian.
namespace vmm::virtio::blk {

inline constexpr uint64_t kSectorSize = 512;  // capacity and `sector` are in 512-byte units (§5.2.4)
inline constexpr uint64_t kSectorShift = 9;

// Feature bits (§5.2.3).
inline constexpr uint64_t kFSizeMax = uint64_t{1} << 1;       // VIRTIO_BLK_F_SIZE_MAX
inline constexpr uint64_t kFSegMax = uint64_t{1} << 2;        // VIRTIO_BLK_F_SEG_MAX
inline constexpr uint64_t kFGeometry = uint64_t{1} << 4;      // VIRTIO_BLK_F_GEOMETRY
inline constexpr uint64_t kFRo = uint64_t{1} << 5;            // VIRTIO_BLK_F_RO
inline constexpr uint64_t kFBlkSize = uint64_t{1} << 6;       // VIRTIO_BLK_F_BLK_SIZE
inline constexpr uint64_t kFFlush = uint64_t{1} << 9;         // VIRTIO_BLK_F_FLUSH
inline constexpr uint64_t kFTopology = uint64_t{1} << 10;     // VIRTIO_BLK_F_TOPOLOGY
inline constexpr uint64_t kFConfigWce = uint64_t{1} << 11;    // VIRTIO_BLK_F_CONFIG_WCE
inline constexpr uint64_t kFMq = uint64_t{1} << 12;           // VIRTIO_BLK_F_MQ
inline constexpr uint64_t kFDiscard = uint64_t{1} << 13;      // VIRTIO_BLK_F_DISCARD
inline constexpr uint64_t kFWriteZeroes = uint64_t{1} << 14;  // VIRTIO_BLK_F_WRITE_ZEROES

// Request types: struct virtio_blk_req.type (§5.2.6).
enum class RequestType : uint32_t {
  kIn = 0,            // VIRTIO_BLK_T_IN: read
  kOut = 1,           // VIRTIO_BLK_T_OUT: write
  kFlush = 4,         // VIRTIO_BLK_T_FLUSH
  kGetId = 8,         // VIRTIO_BLK_T_GET_ID: 20-byte serial
  kDiscard = 11,      // VIRTIO_BLK_T_DISCARD
  kWriteZeroes = 13,  // VIRTIO_BLK_T_WRITE_ZEROES
};

// The status byte the device writes last (§5.2.6).
enum class Status : uint8_t {
  kOk = 0,      // VIRTIO_BLK_S_OK
  kIoErr = 1,   // VIRTIO_BLK_S_IOERR
  kUnsupp = 2,  // VIRTIO_BLK_S_UNSUPP
};

// struct virtio_blk_req header: le32 type; le32 reserved; le64 sector.
inline constexpr uint64_t kRequestHeaderSize = 16;
// GET_ID answers with up to 20 bytes, NUL-padded (VIRTIO_BLK_ID_BYTES).
inline constexpr uint64_t kIdBytes = 20;
// struct virtio_blk_discard_write_zeroes: le64 sector; le32 num_sectors; le32 flags.
inline constexpr uint64_t kDiscardSegmentSize = 16;
inline constexpr uint32_t kDiscardFlagUnmap = 1;  // VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP

// Offsets into struct virtio_blk_config (§5.2.4).
enum ConfigOffset : uint32_t {
  kConfigCapacity = 0,                 // le64
  kConfigSizeMax = 8,                  // le32
  kConfigSegMax = 12,                  // le32
  kConfigGeometry = 16,                // le16 cylinders, u8 heads, u8 sectors
  kConfigBlkSize = 20,                 // le32
  kConfigTopology = 24,                // u8, u8, le16, le32
  kConfigWriteback = 32,               // u8
  kConfigNumQueues = 34,               // le16
  kConfigMaxDiscardSectors = 36,       // le32
  kConfigMaxDiscardSeg = 40,           // le32
  kConfigDiscardSectorAlignment = 44,  // le32
  kConfigMaxWriteZeroesSectors = 48,   // le32
  kConfigMaxWriteZeroesSeg = 52,       // le32
  kConfigWriteZeroesMayUnmap = 56,     // u8, then 3 unused bytes
  kConfigSize = 60,                    // the fields this device implements
};

}  // namespace vmm::virtio::blk
