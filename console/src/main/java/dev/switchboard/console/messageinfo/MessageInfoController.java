package dev.switchboard.console.messageinfo;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import reactor.core.publisher.Mono;

import dev.switchboard.console.api.ApiClient;

/**
 * Who sent a message, from which device, and when it was delivered and read: the owner's
 * and admin's panel. The page links to it only for them; an agent who opens its address
 * gets the API's refusal (403) shown as a problem, since the API alone decides.
 */
@Controller
class MessageInfoController {

	private final ApiClient api;

	MessageInfoController(ApiClient api) {
		this.api = api;
	}

	@GetMapping("/console/messages/{id}/info")
	Mono<String> info(@PathVariable String id, Model model,
			@RequestHeader(name = "HX-Request", required = false) @Nullable String htmx) {
		return this.api.get((uri) -> uri.path("/api/v1/messages/{id}/info").build(id),
				new ParameterizedTypeReference<MessageInfo>() {
				})
			.map((info) -> {
				model.addAttribute("info", info);
				return "true".equals(htmx) ? "messageinfo/message-info :: panel" : "messageinfo/message-info";
			});
	}

	/** The lookup form: a message id pasted from the API or a conversation. */
	@GetMapping("/console/messages/info")
	String find(@RequestParam(required = false) @Nullable String id) {
		String wanted = (id != null) ? id.strip() : "";
		return wanted.matches("[A-Za-z0-9._:-]{1,200}") ? "redirect:/console/messages/" + wanted + "/info"
				: "messageinfo/find";
	}

	/**
	 * The facts of one outbound message, as the audit service records them.
	 *
	 * @param messageId the message
	 * @param conversationId its conversation
	 * @param agentId who sent it
	 * @param deviceId the device it was sent from
	 * @param deviceName the device's name when it was sent
	 * @param deviceState the device's state then
	 * @param kind text, media or template
	 * @param acceptedAt when the Cloud API accepted it
	 * @param sentAt when WhatsApp sent it
	 * @param deliveredAt when it reached the customer's phone
	 * @param readAt when the customer read it
	 * @param failedAt when it failed
	 * @param error why it failed
	 */
	record MessageInfo(String messageId, String conversationId, @Nullable String agentId, @Nullable String deviceId,
			@Nullable String deviceName, @Nullable String deviceState, @Nullable String kind,
			@Nullable Instant acceptedAt, @Nullable Instant sentAt, @Nullable Instant deliveredAt,
			@Nullable Instant readAt, @Nullable Instant failedAt, @Nullable String error) {

	}

}
