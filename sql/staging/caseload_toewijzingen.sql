-- one row per case assignment of a client to a team (startdatum, open while einddatum is null)
select
    c.team_code,
    c.client_id,
    c.startdatum,
    c.einddatum,
    c.complexiteitsgewicht,
    c.einddatum is null as is_open,
    c.bestand,
    c.regel
from bron_caseload as c
order by c.team_code, c.client_id, c.startdatum, c.bestand, c.regel
