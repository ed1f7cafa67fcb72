package dev.switchboard.inbox.integration;

import java.net.InetAddress;
import java.util.Arrays;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * Kinds of addresses that webhooks never go to, and which kind an address is: IPv4 by the
 * IANA special-purpose registry and the clouds' metadata services, IPv6 likewise and
 * through each form that embeds an IPv4 address (mapped, compatible, NAT64, 6to4).
 */
enum AddressKind {

	LOOPBACK("loopback", "loopback"), PRIVATE("private", "private"), LINK_LOCAL("link-local", "link-local"),
	MULTICAST("multicast", "multicast"), UNSPECIFIED("unspecified", "unspecified"),
	SHARED("shared", "shared (carrier-grade NAT)"), METADATA("metadata", "cloud metadata"),
	RESERVED("reserved", "reserved or special-purpose");

	/** AWS's IPv6 instance metadata address {@code fd00:ec2::254}. */
	private static final byte[] EC2_METADATA_V6 = NetUtil.createByteArrayFromIpAddressString("fd00:ec2::254");

	private final String reason;

	private final String description;

	AddressKind(String reason, String description) {
		this.reason = reason;
		this.description = description;
	}

	/**
	 * The metric tag.
	 * @return {@code loopback}, {@code private}, ...
	 */
	String reason() {
		return this.reason;
	}

	/**
	 * @return how a refusal names it
	 */
	String description() {
		return this.description;
	}

	/**
	 * What kind of non-public address an address is.
	 * @param address an IPv4 or IPv6 address
	 * @return its kind, or null when it is a public unicast address
	 */
	static @Nullable AddressKind of(InetAddress address) {
		byte[] bytes = address.getAddress();
		return (bytes.length == 4) ? kind4(bytes, 0) : kind6(bytes);
	}

	private static @Nullable AddressKind kind4(byte[] bytes, int offset) {
		int a = bytes[offset] & 0xff;
		int b = bytes[offset + 1] & 0xff;
		int c = bytes[offset + 2] & 0xff;
		int d = bytes[offset + 3] & 0xff;
		if (a == 0) {
			return (b == 0 && c == 0 && d == 0) ? AddressKind.UNSPECIFIED : AddressKind.RESERVED;
		}
		if (a == 127) {
			return AddressKind.LOOPBACK;
		}
		if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
			return AddressKind.PRIVATE;
		}
		if (a == 169 && b == 254) {
			return (c == 169 && d == 254) ? AddressKind.METADATA : AddressKind.LINK_LOCAL;
		}
		if (a == 100 && (b & 0xc0) == 64) {
			// Alibaba Cloud's metadata service lives in the shared range.
			return (b == 100 && c == 100 && d == 200) ? AddressKind.METADATA : AddressKind.SHARED;
		}
		if (a >= 224 && a <= 239) {
			return AddressKind.MULTICAST;
		}
		if (a >= 240) {
			return AddressKind.RESERVED;
		}
		if (a == 192 && b == 0 && c == 0) {
			// IETF protocol assignments; Oracle Cloud's metadata service is 192.0.0.192.
			return (d == 192) ? AddressKind.METADATA : AddressKind.RESERVED;
		}
		boolean documentation = (a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100)
				|| (a == 203 && b == 0 && c == 113);
		boolean benchmarking = a == 198 && (b & 0xfe) == 18;
		boolean relay = a == 192 && b == 88 && c == 99;
		return (documentation || benchmarking || relay) ? AddressKind.RESERVED : null;
	}

	private static @Nullable AddressKind kind6(byte[] bytes) {
		if (zero(bytes, 0, 10)) {
			if ((bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
				// IPv4-mapped: ::ffff:a.b.c.d is a.b.c.d.
				return kind4(bytes, 12);
			}
			if (bytes[10] == 0 && bytes[11] == 0) {
				if (zero(bytes, 12, 15)) {
					return (bytes[15] == 0) ? AddressKind.UNSPECIFIED
							: (bytes[15] == 1) ? AddressKind.LOOPBACK : AddressKind.RESERVED;
				}
				// IPv4-compatible (deprecated): ::a.b.c.d.
				return kind4(bytes, 12);
			}
		}
		int first = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
		int second = ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
		if (first == 0x0064 && second == 0xff9b) {
			// NAT64: the well-known prefix reaches the IPv4 address in its last 32 bits;
			// the local-use prefix 64:ff9b:1::/48 is a private network's.
			return zero(bytes, 4, 12) ? kind4(bytes, 12) : AddressKind.PRIVATE;
		}
		if ((bytes[0] & 0xff) == 0xff) {
			return AddressKind.MULTICAST;
		}
		if ((bytes[0] & 0xfe) == 0xfc) {
			return Arrays.equals(bytes, EC2_METADATA_V6) ? AddressKind.METADATA : AddressKind.PRIVATE;
		}
		if ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80) {
			return AddressKind.LINK_LOCAL;
		}
		if ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0xc0) {
			// Site-local, deprecated but still routed inside some networks.
			return AddressKind.PRIVATE;
		}
		if ((bytes[0] & 0xe0) != 0x20) {
			// Only 2000::/3 is global unicast.
			return AddressKind.RESERVED;
		}
		if (first == 0x2002) {
			// 6to4 reaches the IPv4 address in bits 16 to 47.
			return kind4(bytes, 2);
		}
		boolean teredo = first == 0x2001 && second == 0;
		boolean documentation = (first == 0x2001 && second == 0x0db8) || (first == 0x3fff && (second & 0xf000) == 0);
		return (teredo || documentation) ? AddressKind.RESERVED : null;
	}

	private static boolean zero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
