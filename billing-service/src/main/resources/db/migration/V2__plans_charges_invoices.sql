-- Plans, response-window charges and invoices (issue 7).

-- The price list: what each plan costs per month, per currency, from a day on. A new price
-- is a new version, never an update. tenant_id NULL is the platform's list; a tenant's own
-- version (a negotiated price) wins over the platform's one of the same day.
CREATE TABLE price_list (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      TEXT,
    name           TEXT        NOT NULL,
    currency       TEXT        NOT NULL,
    effective_from DATE        NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT        NOT NULL
);
CREATE INDEX price_list_lookup ON price_list (currency, effective_from);

CREATE TABLE plan_price (
    price_list_id     BIGINT  NOT NULL REFERENCES price_list (id),
    plan              TEXT    NOT NULL,
    monthly_fee_minor BIGINT  NOT NULL CHECK (monthly_fee_minor >= 0),
    max_devices       INTEGER NOT NULL CHECK (max_devices > 0),
    max_phones        INTEGER NOT NULL CHECK (max_phones > 0),
    PRIMARY KEY (price_list_id, plan)
);

-- The rate card: what one delivered message of a category costs, optionally per country
-- calling code ('' = every other country), from an instant on. Prices in the currency's
-- units with six decimals (Meta publishes four). A change of Meta's prices is a new card.
CREATE TABLE rate_card (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      TEXT,
    name           TEXT        NOT NULL,
    currency       TEXT        NOT NULL,
    effective_from TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by     TEXT        NOT NULL
);
CREATE INDEX rate_card_lookup ON rate_card (currency, effective_from);

CREATE TABLE rate_card_price (
    rate_card_id BIGINT        NOT NULL REFERENCES rate_card (id),
    category     TEXT          NOT NULL,
    country_code TEXT          NOT NULL DEFAULT '',
    price        NUMERIC(12, 6) NOT NULL CHECK (price >= 0),
    PRIMARY KEY (rate_card_id, category, country_code)
);

-- A tenant's plan history, append-only: the plan on a day is the latest row (by
-- effective_from, then id) that was not superseded by a later change for the same or an
-- earlier day.
CREATE TABLE tenant_plan (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      TEXT        NOT NULL,
    plan           TEXT        NOT NULL,
    currency       TEXT        NOT NULL,
    change         TEXT        NOT NULL,
    effective_from DATE        NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL,
    changed_by     TEXT        NOT NULL,
    superseded_at  TIMESTAMPTZ
);
CREATE INDEX tenant_plan_by_tenant ON tenant_plan (tenant_id, effective_from);

-- The event ledger: every consumed event billing depends on, as it travelled, so that a
-- month can be rebuilt from it.
CREATE TABLE billing_event (
    seq             BIGSERIAL PRIMARY KEY,
    event_id        TEXT        NOT NULL UNIQUE,
    tenant_id       TEXT        NOT NULL,
    conversation_id TEXT,
    event_type      TEXT        NOT NULL,
    occurred_at     TIMESTAMPTZ NOT NULL,
    payload         BYTEA       NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX billing_event_by_tenant ON billing_event (tenant_id, seq);

-- Customer messages: the 24-hour window at any instant is 24 h after the latest of these.
CREATE TABLE customer_message (
    wamid           TEXT PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    conversation_id TEXT        NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_message_by_conversation ON customer_message (conversation_id, sent_at);

-- Agents' messages accepted by Meta, once per wamid.
CREATE TABLE outbound_message (
    wamid             TEXT PRIMARY KEY,
    tenant_id         TEXT        NOT NULL,
    conversation_id   TEXT        NOT NULL,
    wa_id             TEXT        NOT NULL,
    agent_id          TEXT        NOT NULL,
    device_id         TEXT        NOT NULL,
    kind              TEXT        NOT NULL,
    template_name     TEXT,
    template_category TEXT,
    sent_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbound_message_by_conversation ON outbound_message (conversation_id, sent_at);

-- Statuses per wamid, whichever arrives first (a status may precede its MessageSent).
CREATE TABLE message_status (
    wamid     TEXT        NOT NULL,
    tenant_id TEXT        NOT NULL,
    status    TEXT        NOT NULL,
    at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (wamid, status)
);

-- Who had the conversation when: late replies are attributed to the team and agent.
CREATE TABLE assignment (
    event_id        TEXT PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    conversation_id TEXT        NOT NULL,
    agent_id        TEXT        NOT NULL,
    team_id         TEXT        NOT NULL,
    assigned_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX assignment_by_conversation ON assignment (conversation_id, assigned_at);

-- One line per delivered outbound message, free or charged: recorded once per wamid.
CREATE TABLE charge (
    wamid             TEXT PRIMARY KEY,
    tenant_id         TEXT           NOT NULL,
    conversation_id   TEXT           NOT NULL,
    agent_id          TEXT           NOT NULL,
    kind              TEXT           NOT NULL,
    template_name     TEXT,
    category          TEXT           NOT NULL,
    in_window         BOOLEAN        NOT NULL,
    charged           BOOLEAN        NOT NULL,
    late_reply        BOOLEAN        NOT NULL,
    country_code      TEXT           NOT NULL,
    rate_card_id      BIGINT REFERENCES rate_card (id),
    unit_price        NUMERIC(12, 6) NOT NULL,
    currency          TEXT           NOT NULL,
    sent_at           TIMESTAMPTZ    NOT NULL,
    window_expires_at TIMESTAMPTZ,
    billable_at       TIMESTAMPTZ    NOT NULL,
    billing_month     DATE           NOT NULL,
    recorded_at       TIMESTAMPTZ    NOT NULL
);
CREATE INDEX charge_by_month ON charge (tenant_id, billing_month);

-- Invoices and credit notes. One invoice per tenant and month; issued ones are immutable.
CREATE TABLE invoice (
    id          UUID PRIMARY KEY,
    tenant_id   TEXT        NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
    status      TEXT        NOT NULL CHECK (status IN ('DRAFT', 'ISSUED')),
    month       DATE        NOT NULL,
    number      TEXT UNIQUE,
    currency    TEXT        NOT NULL,
    total_minor BIGINT      NOT NULL,
    corrects    UUID REFERENCES invoice (id),
    reason      TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    issued_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX one_invoice_per_month ON invoice (tenant_id, month) WHERE kind = 'INVOICE';
CREATE INDEX invoice_by_tenant ON invoice (tenant_id, month DESC, created_at DESC, id DESC);

CREATE TABLE invoice_line (
    invoice_id   UUID           NOT NULL REFERENCES invoice (id),
    line_no      INTEGER        NOT NULL,
    line_key     TEXT           NOT NULL,
    kind         TEXT           NOT NULL,
    description  TEXT           NOT NULL,
    quantity     BIGINT         NOT NULL,
    unit_price   NUMERIC(12, 6) NOT NULL,
    amount_minor BIGINT         NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

-- The charge lines behind an invoice (by wamid; charge rows are never updated).
CREATE TABLE invoice_charge (
    invoice_id UUID NOT NULL REFERENCES invoice (id),
    wamid      TEXT NOT NULL REFERENCES charge (wamid),
    PRIMARY KEY (invoice_id, wamid)
);

-- An issued invoice cannot change, even by hand in SQL.
CREATE FUNCTION refuse_issued_invoice_change() RETURNS trigger AS $$
DECLARE
    target UUID;
BEGIN
    IF TG_TABLE_NAME = 'invoice' THEN
        IF OLD.status = 'ISSUED' THEN
            RAISE EXCEPTION 'invoice % is issued and immutable', OLD.id;
        END IF;
    ELSE
        IF TG_OP = 'INSERT' THEN
            target := NEW.invoice_id;
        ELSE
            target := OLD.invoice_id;
        END IF;
        IF EXISTS (SELECT 1 FROM invoice WHERE id = target AND status = 'ISSUED') THEN
            RAISE EXCEPTION 'invoice % is issued and immutable', target;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON invoice
    FOR EACH ROW EXECUTE FUNCTION refuse_issued_invoice_change();
CREATE TRIGGER invoice_line_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_line
    FOR EACH ROW EXECUTE FUNCTION refuse_issued_invoice_change();
CREATE TRIGGER invoice_charge_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_charge
    FOR EACH ROW EXECUTE FUNCTION refuse_issued_invoice_change();

-- Seeds: the platform's price list and Meta-like rate card in EUR.
INSERT INTO price_list (id, tenant_id, name, currency, effective_from, created_at, created_by)
VALUES (1, NULL, 'plans-2025', 'EUR', DATE '2025-01-01', now(), 'flyway');
INSERT INTO plan_price (price_list_id, plan, monthly_fee_minor, max_devices, max_phones)
VALUES (1, 'STANDARD', 0, 4, 1),
       (1, 'PREMIUM', 4900, 10, 5);
SELECT setval('price_list_id_seq', 1);

INSERT INTO rate_card (id, tenant_id, name, currency, effective_from, created_at, created_by)
VALUES (1, NULL, 'meta-2025-07', 'EUR', TIMESTAMPTZ '2025-07-01 00:00:00+00', now(), 'flyway');
INSERT INTO rate_card_price (rate_card_id, category, country_code, price)
VALUES (1, 'MARKETING', '', 0.057200),
       (1, 'UTILITY', '', 0.020000),
       (1, 'AUTHENTICATION', '', 0.034300),
       (1, 'MARKETING', '39', 0.061100),
       (1, 'UTILITY', '39', 0.026400),
       (1, 'AUTHENTICATION', '39', 0.035900),
       (1, 'MARKETING', '49', 0.113100),
       (1, 'UTILITY', '49', 0.045600),
       (1, 'AUTHENTICATION', '49', 0.063600),
       (1, 'MARKETING', '33', 0.071300),
       (1, 'UTILITY', '33', 0.025000),
       (1, 'AUTHENTICATION', '33', 0.040400);
SELECT setval('rate_card_id_seq', 1);
