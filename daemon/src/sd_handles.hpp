// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#pragma once

#include <memory>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

namespace vmmd {

// Owners of libsystemd objects: each drops its reference when destroyed.
template <typename T, T* (*Unref)(T*)>
struct SdUnref {
  void operator()(T* object) const { (void)Unref(object); }
};

using BusPtr = std::unique_ptr<sd_bus, SdUnref<sd_bus, sd_bus_flush_close_unref>>;
using EventPtr = std::unique_ptr<sd_event, SdUnref<sd_event, sd_event_unref>>;
using SlotPtr = std::unique_ptr<sd_bus_slot, SdUnref<sd_bus_slot, sd_bus_slot_unref>>;
using MessagePtr = std::unique_ptr<sd_bus_message, SdUnref<sd_bus_message, sd_bus_message_unref>>;
// Disabled as well as unreferenced, so a dropped timer never fires.
using EventSourcePtr = std::unique_ptr<sd_event_source, SdUnref<sd_event_source, sd_event_source_disable_unref>>;

}  // namespace vmmd
