-- Rules may also match a label on the contact (the inbox sends the contact's labels with each
-- customer message).
ALTER TABLE routing_rule DROP CONSTRAINT routing_rule_kind_check;
ALTER TABLE routing_rule ADD CONSTRAINT routing_rule_kind_check CHECK (kind IN ('CONTACT', 'KEYWORD', 'LABEL'));
