-- Each agent's open (ASSIGNED) conversations, kept by a trigger in the same transaction as every
-- change of an assignment, whichever code path makes it. The dispatcher read it as a count(*)
-- over the agent's open assignments for every online agent on every assignment: with agents of
-- large capacity that was most of PostgreSQL's time under load. Now it is one row per agent.
CREATE TABLE agent_load (
    tenant_id  TEXT   NOT NULL,
    agent_id   TEXT   NOT NULL,
    open_count BIGINT NOT NULL CHECK (open_count >= 0),
    PRIMARY KEY (tenant_id, agent_id)
);

INSERT INTO agent_load (tenant_id, agent_id, open_count)
SELECT tenant_id, agent_id, count(*) FROM assignment
WHERE state = 'ASSIGNED' AND agent_id IS NOT NULL
GROUP BY tenant_id, agent_id;

-- The function finds agent_load in this schema whatever the session's search_path.
CREATE FUNCTION agent_load_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'ASSIGNED' AND OLD.agent_id IS NOT NULL THEN
        UPDATE agent_load SET open_count = open_count - 1
        WHERE tenant_id = OLD.tenant_id AND agent_id = OLD.agent_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'ASSIGNED' AND NEW.agent_id IS NOT NULL THEN
        INSERT INTO agent_load (tenant_id, agent_id, open_count) VALUES (NEW.tenant_id, NEW.agent_id, 1)
        ON CONFLICT (tenant_id, agent_id) DO UPDATE SET open_count = agent_load.open_count + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER assignment_agent_load AFTER INSERT OR DELETE OR UPDATE OF state, agent_id, tenant_id
    ON assignment FOR EACH ROW EXECUTE FUNCTION agent_load_follow();
