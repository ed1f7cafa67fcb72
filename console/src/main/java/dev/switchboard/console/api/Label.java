package dev.switchboard.console.api;

/**
 * A label of the tenant ({@code GET /api/v1/labels}).
 *
 * @param id its id
 * @param name its name
 * @param color its colour
 */
public record Label(String id, String name, String color) {

}
