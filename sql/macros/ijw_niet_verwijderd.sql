-- one row per StatusAanlevering 1 row of the relation `regels` that no StatusAanlevering 3 row deletes
-- params: regels
-- The one home of the deletion rule (TR063): a StatusAanlevering 3 line deletes every line with the same
-- logical key (`sleutel`, a struct the staging model builds from its message's key fields) whose
-- dagtekening is not later than the deletion's. `regels` holds the lines that no retour rejected
-- (ijw_retourstatus); deduplication of what is left stays with the model, whose message decides whether
-- the first or the latest line wins.
select g.*
from query_table(regels) as g
where
    g.status_aanlevering = '1'
    and not exists (
        select 1
        from query_table(regels) as v
        where
            v.status_aanlevering = '3'
            and v.sleutel is not distinct from g.sleutel
            and v.dagtekening >= g.dagtekening
    )
