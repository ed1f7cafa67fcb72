package dev.switchboard.audit.device;

/** Whether a device may send. */
enum DeviceState {

	/** Registered and within the plan's limits: the inbox lets it send. */
	ACTIVE,

	/**
	 * Over the plan's limits after a downgrade: kept, but sends nothing until reinstated.
	 */
	SUSPENDED,

	/** Revoked by an owner or admin: sends nothing more, ever. */
	REVOKED

}
