/**
 * Sign-in and the session: OpenID Connect authorization code with PKCE, tokens kept in
 * the server-side session, CSRF, the security headers, and the way back after an expired
 * session.
 */
@NullMarked
package dev.switchboard.console.signin;

import org.jspecify.annotations.NullMarked;
