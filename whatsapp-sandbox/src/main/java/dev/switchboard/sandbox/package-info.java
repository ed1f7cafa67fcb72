/**
 * A local stand-in for the WhatsApp Cloud API, for the local start and the tests: no mock
 * of the client, a real HTTP server speaking Meta's JSON.
 */
@NullMarked
package dev.switchboard.sandbox;

import org.jspecify.annotations.NullMarked;
