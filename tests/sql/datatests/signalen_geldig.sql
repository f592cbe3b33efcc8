-- signalen: unique id, known type, a detail text and a date for every signal
select s.signaal_id
from signalen as s
where
    s.detail is null
    or s.datum is null
    or s.type not in (
        'vot_beslistermijn_overschreden', 'vot_in_onderzoek_te_lang', 'toewijzing_zonder_start',
        'verlopen_tijdens_wachten', 'stop_zonder_start', 'declaratie_zonder_start',
        'declaratie_buiten_toewijzing', 'overlappende_toewijzingen', 'starts_in_batch'
    )
union all
select s.signaal_id from signalen as s group by s.signaal_id having count(*) > 1
