package dev.switchboard.inbox.integration;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The HTTP client's resolver for webhook deliveries: resolves a name with the
 * {@link DestinationPolicy}, which checks every address the name resolves to, and hands
 * the client the checked address to connect to. Between the check and the connection
 * nothing resolves the name again, so a name re-pointed inside (DNS rebinding) is
 * refused, never called.
 */
final class PinnedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final DestinationPolicy policy;

	private final boolean plainHttp;

	private final Scheduler blocking = Schedulers.boundedElastic();

	/**
	 * @param policy the policy
	 * @param plainHttp whether the client posts to {@code http://} URLs (only loopback
	 * then)
	 */
	PinnedAddressResolverGroup(DestinationPolicy policy, boolean plainHttp) {
		this.policy = policy;
		this.plainHttp = plainHttp;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new InetSocketAddressResolver(executor, new InetNameResolver(executor) {

			@Override
			protected void doResolve(String host, Promise<InetAddress> promise) {
				offLoop(promise, () -> PinnedAddressResolverGroup.this.policy.pin(host,
						PinnedAddressResolverGroup.this.plainHttp));
			}

			@Override
			protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
				offLoop(promise, () -> List
					.of(PinnedAddressResolverGroup.this.policy.pin(host, PinnedAddressResolverGroup.this.plainHttp)));
			}

		});
	}

	// Resolving blocks: never on the event loop.
	private <T> void offLoop(Promise<T> promise, Callable<T> resolution) {
		try {
			this.blocking.schedule(() -> {
				try {
					promise.trySuccess(resolution.call());
				}
				catch (Exception ex) {
					promise.tryFailure(ex);
				}
			});
		}
		catch (RuntimeException ex) {
			promise.tryFailure(ex);
		}
	}

}
