-- wachttijden: unique id, no negative waits, einddatum >= begindatum unless flagged, waiting = no stop
select w.wachttijd_id
from wachttijden as w
cross join peildatum as p
where
    w.wachtdagen < 0
    or w.begindatum is null
    or w.begindatum > p.peildatum
    or (w.einddatum < w.begindatum and not w.is_terugwerkend)
    or (w.is_wachtend and (w.einddatum is not null or w.afbreekdatum is not null))
    or (w.is_wachtend and w.wachtdagen <> datediff('day', w.begindatum, p.peildatum))
    or (w.is_verlopen_zonder_start and w.niveau <> 'toewijzing_start')
    or w.niveau not in ('verzoek_toewijzing', 'toewijzing_start', 'aanmelding', 'intake', 'behandeling', 'totaal')
union all
select w.wachttijd_id from wachttijden as w group by w.wachttijd_id having count(*) > 1
