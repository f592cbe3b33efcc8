-- one row per row of the heenbericht relation `bron`, with is_afgekeurd: did a retour reject its line?
-- params: bron
-- The one home of the retour rule (OP286, OP065), used by every iJw staging model: a line is rejected
-- (not sent) when ijw_afgekeurd holds its heenbericht (berichttype, afzender, identificatie, dagtekening)
-- with its regel_sleutel, or with a null regel_sleutel (the whole heenbericht rejected). A build-time
-- macro: staging reads it as `from ijw_retourstatus('bron_start') as s`.
select
    s.*,
    exists(
        select 1
        from ijw_afgekeurd as a
        where
            a.berichttype = s.berichttype
            and a.afzender = s.afzender
            and a.bericht_identificatie = s.bericht_identificatie
            and a.dagtekening = s.dagtekening
            and (a.regel_sleutel is null or a.regel_sleutel = s.regel_sleutel)
    ) as is_afgekeurd
from query_table(bron) as s
