import Foundation
import Testing

@testable import ScimDoctorKit

@Suite("Numbers as text")
struct NumberTextTests {
    @Test("hex reads as String(format:) writes it", arguments: [0, 9, 10, 0x7f, 0xff, 0x1234, 0xfffd])
    func hex(_ value: Int) {
        #expect(NumberText.hex(UInt16(value), width: 4) == String(format: "%04x", value))
        #expect(
            NumberText.hex(UInt8(truncatingIfNeeded: value), width: 2, uppercase: true)
                == String(format: "%02X", value & 0xff))
    }

    @Test("one decimal", arguments: [0, 0.04, 0.06, 1, 2.5, 12.34, 59.96, 3600.0])
    func oneDecimal(_ value: Double) {
        #expect(NumberText.oneDecimal(value) == String(format: "%.1f", value))
    }
}
