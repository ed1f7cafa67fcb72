package dev.switchboard.audit.device;

/** What a device is. */
enum DeviceKind {

	PHONE, TABLET, DESKTOP, WEB

}
