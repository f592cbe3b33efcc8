-- one row: the peildatum of this build (configured via $peildatum, else derived from the data)
-- Derived peildatum = the latest Dagtekening of an iJw heenbericht (the moment the newest delivered data
-- was made); without iJw messages the latest provider date (aanmelding, intake, start, uitschrijving).
-- Every wait still running is measured to this date; events after it are treated as not yet happened.
-- venster_begin = the first Dagtekening in the data: the start of the data window (docs/definitions.md#aanloop).
with
venster as (
    select min(b.dagtekening) as begin
    from bron_bericht as b
),

ijw as (
    select max(b.dagtekening) as datum
    from bron_bericht as b
    where b.berichttype in ('JW301', 'JW305', 'JW307', 'JW315', 'JW317', 'JW319', 'JW323')
),

aanbieder as (
    select
        max(greatest(
            a.datum_aanmelding, a.datum_intake, a.datum_start_behandeling, a.datum_uitschrijving
        )) as datum
    from aanmeldingen as a
)

select
    coalesce(
        cast($peildatum as date),
        ijw.datum,
        aanbieder.datum
    ) as peildatum,
    cast($peildatum as date) is not null as is_geconfigureerd,
    ijw.datum as laatste_ijw_dagtekening,
    aanbieder.datum as laatste_aanbieder_datum,
    venster.begin as venster_begin
from ijw
cross join aanbieder
cross join venster
