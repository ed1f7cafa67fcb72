/**
 * A local OpenID Connect provider: Spring Authorization Server with configured demo users
 * and clients, issuing the tokens the gateway verifies as it verifies Keycloak's.
 */
@NullMarked
package dev.switchboard.identity;

import org.jspecify.annotations.NullMarked;
