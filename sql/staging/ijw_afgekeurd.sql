-- one row per heenbericht line rejected by a retour (regel_sleutel null: the whole heenbericht rejected)
-- A retour line (or retour header when nothing is echoed) with any RetourCode other than 0200/8001 marks
-- the heenbericht line it echoes as not sent (OP286, OP065). Linked by heen berichttype, afzender,
-- identificatie and dagtekening; within the message by regel_sleutel (see docs/ijw-ingestie.md).
select distinct
    r.heen_berichttype as berichttype,
    r.heen_afzender as afzender,
    r.heen_identificatie as bericht_identificatie,
    r.heen_dagtekening as dagtekening,
    r.regel_sleutel as regel_sleutel
from (
    select
        b.heen_berichttype,
        b.heen_afzender,
        b.heen_identificatie,
        b.heen_dagtekening,
        b.regel_sleutel,
        b.is_afgekeurd
    from bron_retour as b
    union all
    select
        d.heen_berichttype,
        d.heen_afzender,
        d.heen_identificatie,
        d.heen_dagtekening,
        d.regel_sleutel,
        d.is_afgekeurd
    from bron_declaratie_antwoord as d
) as r
where r.is_afgekeurd
order by all
