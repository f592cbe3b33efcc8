-- one row per iJw message an aanbieder sent (aanbieder_agb × bericht_identificatie): when it was made and when it was delivered
-- A delivery is the file that holds the message: a zip as a whole (a monthly batch), otherwise the file
-- itself. A delivery is complete at the latest Dagtekening in it, so that is its leverdatum; a message
-- held in several deliveries (the XML batch and the gemeente's CSV export, a resent copy) counts from the
-- earliest. is_laat: the message reached the region in a later month than the month of its Dagtekening
-- (it waited for a later batch, e.g. an aanbieder that delivered nothing for two months and sent those
-- months' messages with the batch after). Only the messages the aanbieder sends itself count (JW305,
-- JW307, JW315, JW317, JW323); retours are excluded. gemeente_code = the receiving gemeente.
with
kopie as (
    select
        b.afzender as aanbieder_agb,
        b.bericht_identificatie,
        b.berichttype,
        b.ontvanger as gemeente_code,
        b.dagtekening,
        case
            when strpos(lower(b.bestand), '.zip/') > 0 then left(b.bestand, strpos(lower(b.bestand), '.zip/') + 3)
            else b.bestand
        end as levering
    from bron_bericht as b
    where b.berichttype in ('JW305', 'JW307', 'JW315', 'JW317', 'JW323') and b.dagtekening is not null
),

levering as (
    select
        k.levering,
        max(k.dagtekening) as leverdatum
    from kopie as k
    group by k.levering
),

bericht as (
    select
        k.aanbieder_agb,
        k.bericht_identificatie,
        any_value(k.berichttype) as berichttype,
        any_value(k.gemeente_code) as gemeente_code,
        min(k.dagtekening) as dagtekening,
        min(l.leverdatum) as leverdatum
    from kopie as k
    inner join levering as l on k.levering = l.levering
    group by k.aanbieder_agb, k.bericht_identificatie
)

select
    b.aanbieder_agb,
    b.bericht_identificatie,
    b.berichttype,
    b.gemeente_code,
    b.dagtekening,
    b.leverdatum,
    cast(date_trunc('month', b.leverdatum) as date) as levermaand,
    date_trunc('month', b.leverdatum) > date_trunc('month', b.dagtekening) as is_laat
from bericht as b
