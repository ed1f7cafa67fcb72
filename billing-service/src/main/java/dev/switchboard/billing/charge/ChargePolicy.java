package dev.switchboard.billing.charge;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import dev.switchboard.billing.plan.PlanHistory;
import dev.switchboard.billing.pricing.Classification;
import dev.switchboard.billing.pricing.WindowClassifier;
import dev.switchboard.billing.pricing.RateCards;

/**
 * Turns the facts of a delivered message into its charge line: classified against the
 * window at the send, priced by the rate card in force when it became billable, in the
 * tenant's currency. Live charging and recomputation both go through here.
 */
@Component
class ChargePolicy {

	private final RateCards rateCards;

	private final PlanHistory plans;

	ChargePolicy(RateCards rateCards, PlanHistory plans) {
		this.rateCards = rateCards;
		this.plans = plans;
	}

	Mono<ChargeLine> line(OutboundFacts facts) {
		Classification classification = WindowClassifier.classify(facts.kind(), facts.templateCategory(),
				facts.sentAt(), facts.lastCustomerMessageAt(), facts.answeredSince());
		return this.plans.currency(facts.tenantId()).flatMap((currency) -> {
			if (!classification.charged()) {
				return Mono.just(line(facts, classification, "", null, BigDecimal.ZERO.setScale(6), currency));
			}
			return this.rateCards
				.rate(facts.tenantId(), currency, classification.category(), facts.waId(), facts.billableAt())
				.map((rate) -> line(facts, classification, rate.countryCode(), rate.rateCardId(),
						rate.price().setScale(6), currency));
		});
	}

	private static ChargeLine line(OutboundFacts facts, Classification classification, String countryCode,
			@Nullable Long rateCardId, BigDecimal price, String currency) {
		return new ChargeLine(facts.wamid(), facts.conversationId(), facts.agentId(), facts.kind(),
				facts.templateName(), classification.category(), classification.inWindow(), classification.charged(),
				classification.lateReply(), countryCode, rateCardId, price, currency, facts.sentAt(),
				classification.windowExpiresAt(), facts.billableAt());
	}

}
