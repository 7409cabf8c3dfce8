// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
// The virtio-blk device: lifecycle, the request queue loop and rate limiting
// (VIRTIO 1.2 §5.2). Requests run on the event-loop thread with the device
// lock held; a single process_queue call serves at most one queue's worth
// of chains, then yields through wake_loop().
#include <algorithm>

#include <vmm/virtio/block.hpp>

#include "block_config.hpp"
#include "block_image.hpp"
#include "block_request.hpp"

namespace vmm::virtio {

using blk::Outcome;
using blk::ParsedRequest;
using blk::Status;
using ratelimit::TokenType;

Result<std::shared_ptr<BlockDevice>> BlockDevice::create(const BlockOptions& options,
                                                         ratelimit::Clock clock) {
  VMM_TRY_ASSIGN(auto image, blk::BlockImage::open(options.path, options.read_only, options.direct_io));
  VMM_TRY_ASSIGN(auto id, blk::device_id(options.id, *image));
  std::optional<ratelimit::RateLimiter> limiter;
  if (options.rate_limit) {
    VMM_TRY_ASSIGN(auto created, ratelimit::RateLimiter::create(*options.rate_limit, std::move(clock)));
    limiter.emplace(std::move(created));
  }
  VMM_TRY_ASSIGN(Events events, create_events(1));
  return std::shared_ptr<BlockDevice>(
      new BlockDevice(std::move(events), std::move(image), id, std::move(limiter)));
}

BlockDevice::BlockDevice(Events events, std::unique_ptr<blk::BlockImage> image,
                         std::array<uint8_t, blk::kIdBytes> id, std::optional<ratelimit::RateLimiter> limiter)
    : VirtioDevice({kQueueSize}, std::move(events.queues), std::move(events.wake)),
      image_(std::move(image)),
      id_(id),
      config_(blk::config_space(capacity_sectors(), image_->read_only(), kMaxZeroingSectors)),
      limiter_(std::move(limiter)) {}

BlockDevice::~BlockDevice() = default;

uint64_t BlockDevice::features() const { return kCommonFeatures | blk::device_features(image_->read_only()); }
uint64_t BlockDevice::capacity_sectors() const { return image_->size() / blk::kSectorSize; }
bool BlockDevice::read_only() const { return image_->read_only(); }

void BlockDevice::read_config_locked(uint32_t offset, std::span<uint8_t> data) {
  // The transport keeps offset + size within config_size().
  std::copy_n(config_.begin() + offset, data.size(), data.begin());
}

Result<void> BlockDevice::register_backend(EventLoop& loop) {
  if (limiter_) VMM_TRY(loop.add(limiter_->timer_fd(), EPOLLIN, *this));
  return ok();
}

void BlockDevice::unregister_backend(EventLoop& loop) {
  if (limiter_) (void)loop.remove(limiter_->timer_fd());
}

// The rate limiter's timer: tokens are back, resume where we stopped.
void BlockDevice::on_backend_event(int fd, uint32_t /*events*/) {
  if (!limiter_ || fd != limiter_->timer_fd()) return;
  limiter_->on_timer();
  if (active_locked() && !failed()) process_queue(0);
}

void BlockDevice::process_queue(size_t /*index*/) {
  // A throttled request goes back into the ring; the limiter's timer resumes.
  serve_queue(
      0, "virtio-blk request queue",
      [this](DescriptorChain& chain) -> std::optional<uint32_t> {
        uint32_t used_len = 0;
        auto buffers = chain.collect(memory());
        // A chain that cannot be walked is returned unused; the next one is served.
        if (buffers && serve_chain(*buffers, used_len) == Served::kThrottled) return std::nullopt;
        return used_len;
      },
      [this] { return !limiter_ || !limiter_->blocked(); });
}

BlockDevice::Served BlockDevice::serve_chain(ChainBuffers& buffers, uint32_t& used_len) {
  auto status_byte = blk::find_status_byte(memory(), buffers);
  if (!status_byte) return Served::kDone;  // nowhere to report: used length 0
  ParsedRequest request;
  Outcome outcome{blk::parse_request(memory(), buffers, request), 0};
  if (outcome.status == Status::kOk) {
    if (!admit(request)) return Served::kThrottled;
    outcome = blk::execute_request(*image_, memory(), request, id_);
  }
  // The status byte was checked to be guest RAM, and RAM does not move.
  (void)memory().write_obj(*status_byte, static_cast<uint8_t>(outcome.status));
  used_len = outcome.data_written + 1;
  return Served::kDone;
}

// One op and the request's bytes, both or neither (as Firecracker's block device charges).
bool BlockDevice::admit(const ParsedRequest& request) {
  if (!limiter_) return true;
  if (!limiter_->consume(1, TokenType::kOps)) return false;
  uint64_t bytes = blk::transfer_bytes(request);
  if (bytes != 0 && !limiter_->consume(bytes, TokenType::kBytes)) {
    limiter_->replenish(1, TokenType::kOps);
    return false;
  }
  return true;
}

}  // namespace vmm::virtio
