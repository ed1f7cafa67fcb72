package dev.switchboard.console.signin;

import java.time.Duration;

import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionStore;
import reactor.core.publisher.Mono;

/** Sessions of a store, each expiring after the console's idle timeout. */
final class TimedSessionStore implements WebSessionStore {

	private final WebSessionStore store;

	private final Duration timeout;

	TimedSessionStore(WebSessionStore store, Duration timeout) {
		this.store = store;
		this.timeout = timeout;
	}

	@Override
	public Mono<WebSession> createWebSession() {
		return this.store.createWebSession().doOnNext((session) -> session.setMaxIdleTime(this.timeout));
	}

	@Override
	public Mono<WebSession> retrieveSession(String sessionId) {
		return this.store.retrieveSession(sessionId);
	}

	@Override
	public Mono<Void> removeSession(String sessionId) {
		return this.store.removeSession(sessionId);
	}

	@Override
	public Mono<WebSession> updateLastAccessTime(WebSession webSession) {
		return this.store.updateLastAccessTime(webSession);
	}

}
