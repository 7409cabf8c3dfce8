// SPDX-License-Identifier: Apache-2.0 OR BSD-3-Clause
#include <gtest/gtest.h>

#include <vector>

#include <vmm/devices/error.hpp>
#include <vmm/devices/fakes.hpp>
#include <vmm/devices/i8042.hpp>

namespace vmm {
namespace {

class I8042Test : public ::testing::Test {
 protected:
  uint8_t status() { return i8042.read(I8042::kCommandOffset); }
  uint8_t data() { return i8042.read(I8042::kDataOffset); }
  void command(uint8_t value) { i8042.write(I8042::kCommandOffset, value); }
  void send(uint8_t value) { i8042.write(I8042::kDataOffset, value); }
  std::vector<uint8_t> drain() {
    std::vector<uint8_t> bytes;
    while (status() & I8042::kStatusOutputFull) bytes.push_back(data());
    return bytes;
  }

  fakes::CountingInterruptLine irq;
  fakes::CountingResetLine reset;
  I8042 i8042{irq, reset};
};

TEST_F(I8042Test, StatusAtStart) {
  EXPECT_EQ(status(), I8042::kStatusNotInhibited | I8042::kStatusSystemFlag);
  EXPECT_EQ(i8042.read(1), 0);  // port 0x61
  EXPECT_EQ(i8042.read(3), 0);
}

TEST_F(I8042Test, ReadAndWriteTheCommandByte) {
  command(0x20);
  EXPECT_TRUE(status() & I8042::kStatusLastWasCommand);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x45});  // keyboard interrupt, system flag, translation
  command(0x60);
  send(0x44);  // keyboard interrupt off
  EXPECT_FALSE(status() & I8042::kStatusLastWasCommand);
  command(0x20);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x44});
  EXPECT_EQ(irq.count, 1);  // only the first reply interrupted
}

TEST_F(I8042Test, SelfTestAndInterfaceTest) {
  command(0xaa);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x55});
  command(0xab);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x00});
}

TEST_F(I8042Test, DisableAndEnableKeyboard) {
  command(0xad);
  command(0x20);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x45 | I8042::kCtrKeyboardDisabled});
  command(0xae);
  command(0x20);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x45});
}

TEST_F(I8042Test, PulseResetLine) {
  command(0xfe);
  EXPECT_EQ(reset.count, 1);
  command(0xff);  // pulses nothing
  EXPECT_EQ(reset.count, 1);
}

TEST_F(I8042Test, OutputPortBitZeroResets) {
  command(0xd0);
  EXPECT_EQ(drain(), std::vector<uint8_t>{0x03});
  command(0xd1);
  send(0x03);  // A20 on, reset inactive
  EXPECT_EQ(reset.count, 0);
  command(0xd1);
  send(0x02);
  EXPECT_EQ(reset.count, 1);
}

TEST_F(I8042Test, CtrlAltDelQueuesScanCodesAndRaisesIrq1) {
  ASSERT_TRUE(i8042.trigger_ctrl_alt_del().ok());
  EXPECT_EQ(irq.count, 1);
  EXPECT_EQ(i8042.pending_output(), 8u);
  std::vector<uint8_t> bytes;
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(irq.count, i + 1);  // one interrupt per byte, as Linux reads one per interrupt
    EXPECT_TRUE(status() & I8042::kStatusOutputFull);
    bytes.push_back(data());
  }
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d}));
  EXPECT_FALSE(status() & I8042::kStatusOutputFull);
  EXPECT_EQ(irq.count, 8);
}

TEST_F(I8042Test, NoInterruptWhileDisabledInTheCommandByte) {
  command(0x60);
  send(0x44);
  ASSERT_TRUE(i8042.trigger_ctrl_alt_del().ok());
  EXPECT_EQ(irq.count, 0);
  command(0x60);
  send(0x45);  // enabling it with bytes waiting raises it
  EXPECT_EQ(irq.count, 1);
}

TEST_F(I8042Test, OutputBufferIsBounded) {
  for (int i = 0; i < 100; ++i) send(0xf2);  // identify: three bytes each, never read
  EXPECT_EQ(i8042.pending_output(), I8042::kOutputBufferSize);
  auto result = i8042.trigger_ctrl_alt_del();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), DevicesErrc::kBufferFull);
  EXPECT_EQ(i8042.pending_output(), I8042::kOutputBufferSize);
}

TEST_F(I8042Test, KeyboardAnswersLinuxAtkbdProbe) {
  send(0xf2);  // ATKBD_CMD_GETID
  EXPECT_EQ(drain(), (std::vector<uint8_t>{0xfa, 0xab, 0x41}));
  send(0xed);  // ATKBD_CMD_SETLEDS, then its argument
  send(0x00);
  EXPECT_EQ(drain(), (std::vector<uint8_t>{0xfa, 0xfa}));
  send(0xf0);  // get scan code set
  send(0x00);
  EXPECT_EQ(drain(), (std::vector<uint8_t>{0xfa, 0xfa, 0x02}));
  send(0xf4);  // enable
  EXPECT_EQ(drain(), std::vector<uint8_t>{0xfa});
  send(0xff);  // reset
  EXPECT_EQ(drain(), (std::vector<uint8_t>{0xfa, 0xaa}));
  send(0xee);  // echo
  EXPECT_EQ(drain(), std::vector<uint8_t>{0xee});
}

TEST_F(I8042Test, IdentifyWithoutTranslation) {
  command(0x60);
  send(0x05);
  send(0xf2);
  EXPECT_EQ(drain(), (std::vector<uint8_t>{0xfa, 0xab, 0x83}));
}

}  // namespace
}  // namespace vmm
