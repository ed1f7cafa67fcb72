package dev.switchboard.console.live;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import dev.switchboard.events.EventTypes;
import dev.switchboard.events.Role;

import static org.assertj.core.api.Assertions.assertThat;

class LiveKindTests {

	@Test
	void whenTheInboxOrRoutingPublishesThenEveryEventHasAKindForAgents() {
		for (String type : new String[] { EventTypes.MESSAGE_RECEIVED, EventTypes.MESSAGE_SENT,
				EventTypes.MESSAGE_STATUS_CHANGED, EventTypes.CONVERSATION_STATUS_CHANGED, EventTypes.WINDOW_OPENED,
				EventTypes.WINDOW_EXTENDED, EventTypes.WINDOW_CLOSING, EventTypes.WINDOW_EXPIRED,
				EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_QUEUED, EventTypes.CONVERSATION_ESCALATED }) {
			assertThat(LiveKind.of(type)).as(type).hasValueSatisfying((kind) -> {
				assertThat(kind.perConversation()).isTrue();
				assertThat(kind.visibleTo(EnumSet.of(Role.AGENT))).isTrue();
				assertThat(kind.visibleTo(EnumSet.of(Role.FINANCE))).isFalse();
			});
		}
	}

	@Test
	void whenAWebhookItemPassesThenNoPageHearsOfIt() {
		assertThat(LiveKind.of(EventTypes.WHATSAPP_MESSAGE_RECEIVED)).isEmpty();
		assertThat(LiveKind.of("dev.example.unknown.v1")).isEmpty();
	}

	@Test
	void whenADeviceChangesThenOnlyOwnersAndAdminsHearOfIt() {
		LiveKind device = LiveKind.of(EventTypes.DEVICE_CHANGED).orElseThrow();
		assertThat(device.perConversation()).isFalse();
		assertThat(device.visibleTo(EnumSet.of(Role.ADMIN))).isTrue();
		assertThat(device.visibleTo(EnumSet.of(Role.AGENT))).isFalse();
	}

}
