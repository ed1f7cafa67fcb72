-- When each agent was last given a conversation, kept by the same trigger as open_count. The
-- least-loaded strategy breaks ties by it; the dispatcher read it as max(assigned_at) over the
-- agent's assignments for every online agent on every assignment, the largest single statement
-- of PostgreSQL's time under load (benchmark, 2026-12-02). It is now one column of the row the
-- dispatcher reads anyway. Unlike the max over current assignments, it does not go back in
-- time when a conversation is moved away from the agent: it is when the agent last got one.
ALTER TABLE agent_load ADD COLUMN last_assigned_at TIMESTAMPTZ;

INSERT INTO agent_load (tenant_id, agent_id, open_count, last_assigned_at)
SELECT tenant_id, agent_id, 0, max(assigned_at) FROM assignment
WHERE agent_id IS NOT NULL AND assigned_at IS NOT NULL
GROUP BY tenant_id, agent_id
ON CONFLICT (tenant_id, agent_id) DO UPDATE SET last_assigned_at = EXCLUDED.last_assigned_at;

CREATE OR REPLACE FUNCTION agent_load_follow() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state = 'ASSIGNED' AND OLD.agent_id IS NOT NULL THEN
        UPDATE agent_load SET open_count = open_count - 1
        WHERE tenant_id = OLD.tenant_id AND agent_id = OLD.agent_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state = 'ASSIGNED' AND NEW.agent_id IS NOT NULL THEN
        INSERT INTO agent_load (tenant_id, agent_id, open_count, last_assigned_at)
        VALUES (NEW.tenant_id, NEW.agent_id, 1, NEW.assigned_at)
        ON CONFLICT (tenant_id, agent_id) DO UPDATE SET open_count = agent_load.open_count + 1,
            last_assigned_at = GREATEST(agent_load.last_assigned_at, EXCLUDED.last_assigned_at);
    END IF;
    RETURN NULL;
END;
$$;
