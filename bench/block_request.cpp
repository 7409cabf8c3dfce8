// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// Drives N 4 KiB requests through the block device in process: a MockQueue
// (the guest's side) publishes batches of requests, the queue notification
// goes through the EventLoop as a KVM ioeventfd would, and BlockDevice
// serves them from a temporary raw image. bench/block_request.py runs it
// under callgrind for two values of N and reports instructions per request.
//
//   block_request N [--op read|write] [--batch B] [--dir DIR]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <vmm/base/bytes.hpp>
#include <vmm/base/fd.hpp>
#include <vmm/virtio/block.hpp>
#include <vmm/virtio/testing/mock_queue.hpp>

namespace {

using namespace vmm;
using namespace vmm::virtio;

constexpr uint64_t kRequestBytes = 4096;
constexpr uint64_t kImageBytes = 16 << 20;  // 4096 distinct 4 KiB blocks
constexpr uint64_t kRamBytes = 4 << 20;
constexpr uint64_t kRings = 0x1000;
constexpr uint64_t kHeaders = 0x10000;
constexpr uint64_t kStatus = 0x18000;
constexpr uint64_t kData = 0x100000;  // one 4 KiB buffer per request of a batch
constexpr uint16_t kMaxBatch = 64;    // 3 descriptors each in a 256-entry table

struct Args {
  uint64_t requests = 0;
  bool write = false;
  uint16_t batch = 1;
  std::string dir = "/tmp";
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "block_request: %s\n", why.c_str());
  std::exit(1);
}

Args parse(int argc, char** argv) {
  Args args;
  if (argc < 2) die("usage: block_request N [--op read|write] [--batch B] [--dir DIR]");
  args.requests = std::strtoull(argv[1], nullptr, 10);
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--op" && (value == "read" || value == "write"))
      args.write = value == "write";
    else if (flag == "--batch")
      args.batch = static_cast<uint16_t>(std::strtoul(value.c_str(), nullptr, 10));
    else if (flag == "--dir")
      args.dir = value;
    else
      die("unknown argument " + flag + " " + value);
  }
  if (args.batch == 0 || args.batch > kMaxBatch) die("--batch must be 1.." + std::to_string(kMaxBatch));
  return args;
}

std::string make_image(const std::string& dir) {
  std::string path = dir + "/vmm-block-bench-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0 || ::ftruncate(fd, kImageBytes) != 0) die("cannot create an image in " + dir);
  // Allocate the blocks so reads hit data, not holes.
  std::vector<uint8_t> block(1 << 20, 0x5a);
  for (uint64_t off = 0; off < kImageBytes; off += block.size()) {
    if (::pwrite(fd, block.data(), block.size(), static_cast<off_t>(off)) !=
        static_cast<ssize_t>(block.size()))
      die("write image");
  }
  ::close(fd);
  return path;
}

class NullSignals final : public DeviceSignals {
 public:
  void used_buffers() override { ++notifications; }
  void config_changed() override {}
  void needs_reset() override { die("device entered NEEDS_RESET"); }
  uint64_t notifications = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  std::string path = make_image(args.dir);
  auto device = BlockDevice::create({.path = path});
  ::unlink(path.c_str());  // the open fd keeps it alive
  if (!device) die(device.error().message());
  RegionSpec ram{GuestAddress(0), kRamBytes};
  auto memory = GuestMemory::create(std::span(&ram, 1));
  auto loop = EventLoop::create();
  if (!memory || !loop) die("guest memory / event loop");
  if (!(*device)->attach_to(*loop)) die("attach");
  testing::MockQueue driver(*memory, GuestAddress(kRings), BlockDevice::kQueueSize);
  std::vector<Queue> queues;
  queues.push_back(Queue::create(BlockDevice::kQueueSize).value());
  driver.configure(queues[0]);
  NullSignals signals;
  if (!(*device)->activate(*memory, std::move(queues), (*device)->features(), signals)) die("activate");
  (void)loop->run_once(0);

  auto type = static_cast<uint32_t>(args.write ? blk::RequestType::kOut : blk::RequestType::kIn);
  uint64_t blocks = kImageBytes / kRequestBytes;
  for (uint64_t done = 0; done < args.requests;) {
    auto batch = static_cast<uint16_t>(std::min<uint64_t>(args.batch, args.requests - done));
    driver.set_next_free(0);
    for (uint16_t i = 0; i < batch; ++i) {
      uint64_t sector = ((done + i) % blocks) * (kRequestBytes / blk::kSectorSize);
      std::array<uint8_t, 16> header{};
      (void)store_le<uint32_t>(header, 0, type);
      (void)store_le<uint64_t>(header, 8, sector);
      (void)memory->write(GuestAddress(kHeaders + 16u * i), header);
      std::array<testing::Buffer, 3> chain{{{kHeaders + 16u * i, 16, false},
                                            {kData + kRequestBytes * i, kRequestBytes, !args.write},
                                            {kStatus + i, 1, true}}};
      driver.add_chain(chain);
    }
    uint16_t used_before = driver.used_idx();
    (void)(*device)->queue_event(0).write(1);  // the guest's QueueNotify (an ioeventfd)
    (void)loop->run_once(-1);
    if (static_cast<uint16_t>(driver.used_idx() - used_before) != batch) die("requests not completed");
    for (uint16_t i = 0; i < batch; ++i) {
      if (memory->read_obj<uint8_t>(GuestAddress(kStatus + i)).value() != 0) die("request failed");
    }
    done += batch;
  }
  (*device)->detach_from(*loop);
  std::printf("%llu %s requests of %llu bytes in batches of %u, %llu notifications\n",
              static_cast<unsigned long long>(args.requests), args.write ? "write" : "read",
              static_cast<unsigned long long>(kRequestBytes), args.batch,
              static_cast<unsigned long long>(signals.notifications));
  return 0;
}
