package dev.switchboard.console.api;

/**
 * A registered device ({@code GET /api/v1/devices}): what an agent sends from.
 *
 * @param id its id ({@code X-Device-Id})
 * @param agentId the agent it belongs to
 * @param name its name ("iPhone Mario")
 * @param kind its kind
 * @param state {@code ACTIVE} or {@code REVOKED}
 */
public record Device(String id, String agentId, String name, String kind, String state) {

}
