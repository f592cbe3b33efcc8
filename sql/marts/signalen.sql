-- one row per chain signal (signaal_id): type, datum, gemeente_code, aanbieder_agb, client_id and a Dutch detail
-- Types (docs/definitions.md#signalen): vot_beslistermijn_overschreden, vot_in_onderzoek_te_lang,
-- toewijzing_zonder_start, verlopen_tijdens_wachten, stop_zonder_start, declaratie_zonder_start,
-- declaratie_buiten_toewijzing, overlappende_toewijzingen, starts_in_batch. Only events on or before the
-- peildatum are considered. Working days = Monday..Friday (public holidays are not known to the model).
-- Data window: a start, stop or toewijzing from before the first message in the data cannot be in it, so
-- "without start" signals are raised only where the start (or toewijzing) falls inside the window.
with
venster as (
    select p.venster_begin as begin
    from peildatum as p
),

verzoek as (
    select
        v.aanbieder_agb,
        v.gemeente_code,
        v.client_id,
        v.productcategorie,
        v.referentie_aanbieder,
        v.dagtekening as verzoekdatum,
        -- + n working days: from a weekend day count from the Friday before
        v.dagtekening - case isodow(v.dagtekening) when 6 then 1 when 7 then 2 else 0 end
        + cast($signalen_vot_beslistermijn_werkdagen as integer)
        + 2 * cast(floor(
            (least(isodow(v.dagtekening), 5) - 1 + cast($signalen_vot_beslistermijn_werkdagen as integer)) / 5
        ) as integer) as termijn,
        (
            select min(t.eerste_toewijzingsdatum)
            from toewijzingen as t
            where t.aanbieder_agb = v.aanbieder_agb and t.referentie_aanbieder = v.referentie_aanbieder
        ) as toewijzingsdatum,
        (
            select min(a.dagtekening)
            from antwoorden as a
            where
                a.aanbieder_agb = v.aanbieder_agb
                and a.referentie_aanbieder = v.referentie_aanbieder
                and a.is_afgewezen
        ) as afwijzingsdatum,
        (
            select min(a.dagtekening)
            from antwoorden as a
            where
                a.aanbieder_agb = v.aanbieder_agb
                and a.referentie_aanbieder = v.referentie_aanbieder
                and not a.is_afgewezen
        ) as onderzoeksdatum
    from verzoeken as v
    cross join peildatum as p
    where v.verzoek_soort = 'toewijzing' and v.dagtekening <= p.peildatum
),

verzoek_reactie as (
    select
        v.*,
        least(v.toewijzingsdatum, v.afwijzingsdatum) as besluitdatum,
        least(v.toewijzingsdatum, v.afwijzingsdatum, v.onderzoeksdatum) as eerste_reactie
    from verzoek as v
),

vot_termijn as (
    select
        'vot_beslistermijn_overschreden' as type,
        r.termijn + 1 as datum,
        r.gemeente_code,
        r.aanbieder_agb,
        r.client_id,
        r.productcategorie,
        r.aanbieder_agb || '|' || r.referentie_aanbieder as sleutel,
        case
            when r.eerste_reactie is null or r.eerste_reactie > p.peildatum
                then 'Verzoek om toewijzing (JW315) van ' || strftime(r.verzoekdatum, '%d-%m-%Y')
                || ' is op de peildatum nog niet beantwoord; de termijn van '
                || cast($signalen_vot_beslistermijn_werkdagen as varchar) || ' werkdagen liep af op '
                || strftime(r.termijn, '%d-%m-%Y') || '.'
            else 'Verzoek om toewijzing (JW315) van ' || strftime(r.verzoekdatum, '%d-%m-%Y')
                || ' is pas op ' || strftime(r.eerste_reactie, '%d-%m-%Y') || ' beantwoord (termijn '
                || cast($signalen_vot_beslistermijn_werkdagen as varchar) || ' werkdagen, tot '
                || strftime(r.termijn, '%d-%m-%Y') || ').'
        end as detail
    from verzoek_reactie as r
    cross join peildatum as p
    where coalesce(least(r.eerste_reactie, p.peildatum), p.peildatum) > r.termijn
),

vot_onderzoek as (
    select
        'vot_in_onderzoek_te_lang' as type,
        r.verzoekdatum + 7 * cast($signalen_vot_in_onderzoek_weken as integer) + 1 as datum,
        r.gemeente_code,
        r.aanbieder_agb,
        r.client_id,
        r.productcategorie,
        r.aanbieder_agb || '|' || r.referentie_aanbieder as sleutel,
        'Verzoek om toewijzing (JW315) van ' || strftime(r.verzoekdatum, '%d-%m-%Y') || ' staat sinds '
        || strftime(r.onderzoeksdatum, '%d-%m-%Y') || ' "in onderzoek" en had binnen '
        || cast($signalen_vot_in_onderzoek_weken as varchar) || ' weken een besluit moeten hebben'
        || case
            when r.besluitdatum is null or r.besluitdatum > p.peildatum then '; er is nog geen besluit.'
            else '; het besluit kwam op ' || strftime(r.besluitdatum, '%d-%m-%Y') || '.'
        end as detail
    from verzoek_reactie as r
    cross join peildatum as p
    where
        r.onderzoeksdatum is not null
        and coalesce(least(r.besluitdatum, p.peildatum), p.peildatum)
        > r.verzoekdatum + 7 * cast($signalen_vot_in_onderzoek_weken as integer)
),

zonder_start as (
    select
        'toewijzing_zonder_start' as type,
        w.begindatum + cast($signalen_toewijzing_zonder_start_dagen as integer) + 1 as datum,
        w.gemeente_code,
        w.aanbieder_agb,
        w.client_id,
        w.productcategorie,
        w.wachttijd_id as sleutel,
        'Toewijzing geldig sinds ' || strftime(w.begindatum, '%d-%m-%Y') || ' heeft na '
        || cast(w.wachtdagen as varchar) || ' dagen nog geen startbericht (JW305); signaalgrens '
        || cast($signalen_toewijzing_zonder_start_dagen as varchar) || ' dagen.' as detail
    from wachttijden as w
    where
        w.niveau = 'toewijzing_start'
        and w.is_wachtend
        and w.wachtdagen > cast($signalen_toewijzing_zonder_start_dagen as integer)
),

verlopen as (
    select
        'verlopen_tijdens_wachten' as type,
        w.afbreekdatum as datum,
        w.gemeente_code,
        w.aanbieder_agb,
        w.client_id,
        w.productcategorie,
        w.wachttijd_id as sleutel,
        'Toewijzing geldig sinds ' || strftime(w.begindatum, '%d-%m-%Y') || ' is op '
        || strftime(w.afbreekdatum, '%d-%m-%Y') || ' verlopen zonder dat de zorg startte (geen JW305) na '
        || cast(w.wachtdagen as varchar) || ' dagen wachten.' as detail
    from wachttijden as w
    inner join trajecten as t on w.wachttijd_id = md5('toewijzing_start|' || t.traject_id)
    cross join venster as vw
    where
        w.is_verlopen_zonder_start
        -- a real expiry while waiting: the toewijzing ran past the clock start (one that ends before or on
        -- its begindatum was withdrawn or shortened, it did not expire while the child waited) ...
        and w.afbreekdatum > w.begindatum
        -- ... it was valid from inside the data window (a start before the window cannot be seen) ...
        and t.ingangsdatum >= vw.begin
        -- ... and the gemeente did not end it early (JZ002 RedenWijziging 02 overleden, 05 verkorting,
        -- 06 ander domein, 07 verhuizing, 09 overstap naar andere aanbieder): that is a withdrawal
        and not exists (
            select 1
            from traject_toewijzingen as tt
            inner join toewijzingen as tw
                on tt.gemeente_code = tw.gemeente_code and tt.toewijzingnummer = tw.toewijzingnummer
            where
                tt.traject_id = t.traject_id
                and tw.einddatum = t.toewijzing_einddatum
                and tw.reden_wijziging in ('02', '05', '06', '07', '09')
        )
),

stop_zonder as (
    select
        'stop_zonder_start' as type,
        st.einddatum as datum,
        st.gemeente_code,
        st.aanbieder_agb,
        st.client_id,
        st.productcategorie,
        st.stop_id as sleutel,
        'Stopbericht (JW307, reden ' || st.reden_beeindiging || ') per ' || strftime(st.einddatum, '%d-%m-%Y')
        || ' voor een start op ' || strftime(st.begindatum, '%d-%m-%Y')
        || ' waarvan geen geldig startbericht (JW305) bestaat.' as detail
    from stops as st
    cross join peildatum as p
    cross join venster as vw
    where
        st.dagtekening <= p.peildatum
        and st.begindatum >= vw.begin
        and not exists (select 1 from starts as s where s.start_id = st.start_id)
),

declaratie as (
    select
        d.*,
        t.ingangsdatum as toewijzing_ingangsdatum,
        t.einddatum as toewijzing_einddatum,
        t.toewijzingnummer is not null as heeft_toewijzing,
        exists(
            select 1
            from starts as s
            where
                s.gemeente_code = d.gemeente_code
                and s.toewijzingnummer = d.toewijzingnummer
                and s.client_id = d.client_id
                and s.begindatum <= d.productperiode_eind
        ) as heeft_start
    from declaraties as d
    cross join peildatum as p
    left join toewijzingen as t
        on d.gemeente_code = t.gemeente_code and d.toewijzingnummer = t.toewijzingnummer
    where d.declaratie_status <> 'afgewezen' and d.debet_credit = 'D' and d.dagtekening <= p.peildatum
),

declaratie_start as (
    select
        'declaratie_zonder_start' as type,
        d.productperiode_begin as datum,
        d.gemeente_code,
        d.aanbieder_agb,
        d.client_id,
        d.productcategorie,
        d.aanbieder_agb || '|' || d.declaratienummer || '|' || d.referentienummer as sleutel,
        'Declaratie (JW323) over ' || strftime(d.productperiode_begin, '%d-%m-%Y') || ' t/m '
        || strftime(d.productperiode_eind, '%d-%m-%Y')
        || ' zonder startbericht (JW305) voor deze toewijzing.' as detail
    from declaratie as d
    cross join venster as vw
    where d.heeft_toewijzing and not d.heeft_start and d.toewijzing_ingangsdatum >= vw.begin
),

declaratie_periode as (
    select
        'declaratie_buiten_toewijzing' as type,
        d.productperiode_begin as datum,
        d.gemeente_code,
        d.aanbieder_agb,
        d.client_id,
        d.productcategorie,
        d.aanbieder_agb || '|' || d.declaratienummer || '|' || d.referentienummer as sleutel,
        case
            when not d.heeft_toewijzing
                then 'Declaratie (JW323) over ' || strftime(d.productperiode_begin, '%d-%m-%Y')
                || ' voor een toewijzing die niet (meer) bestaat.'
            else 'Declaratie (JW323) over ' || strftime(d.productperiode_begin, '%d-%m-%Y') || ' t/m '
                || strftime(d.productperiode_eind, '%d-%m-%Y') || ' valt buiten de toewijzingsperiode '
                || strftime(d.toewijzing_ingangsdatum, '%d-%m-%Y') || ' t/m '
                || coalesce(strftime(d.toewijzing_einddatum, '%d-%m-%Y'), 'open') || '.'
        end as detail
    from declaratie as d
    cross join venster as vw
    where
        (
            not d.heeft_toewijzing
            -- an unknown toewijzing may predate the data window: only flagged after the run-in period
            and d.productperiode_begin >= vw.begin + to_months(cast($signalen_aanloop_maanden as integer))
        )
        or d.productperiode_begin < d.toewijzing_ingangsdatum
        or d.productperiode_eind > coalesce(d.toewijzing_einddatum, date '9000-01-01')
),

overlap as (
    select
        'overlappende_toewijzingen' as type,
        greatest(a.ingangsdatum, b.ingangsdatum) as datum,
        a.gemeente_code,
        a.aanbieder_agb,
        a.client_id,
        a.productcategorie,
        a.gemeente_code || '|' || cast(a.toewijzingnummer as varchar) || '|' || cast(b.toewijzingnummer as varchar)
            as sleutel,
        'Twee toewijzingen voor hetzelfde product ' || coalesce(a.productcode, a.productcategorie, 'generiek')
        || ' overlappen vanaf ' || strftime(greatest(a.ingangsdatum, b.ingangsdatum), '%d-%m-%Y')
        || ' (stapeling van hetzelfde product, OP259).' as detail
    from toewijzingen as a
    inner join toewijzingen as b
        on
            a.client_id = b.client_id
            and a.gemeente_code = b.gemeente_code
            and a.productcategorie is not distinct from b.productcategorie
            and a.productcode is not distinct from b.productcode
            and a.toewijzingnummer < b.toewijzingnummer
            and a.ingangsdatum <= coalesce(b.einddatum, date '9000-01-01')
            and b.ingangsdatum <= coalesce(a.einddatum, date '9000-01-01')
    cross join peildatum as p
    where a.eerste_toewijzingsdatum <= p.peildatum and b.eerste_toewijzingsdatum <= p.peildatum
),

batch as (
    select
        s.aanbieder_agb,
        cast(date_trunc('month', s.dagtekening) as date) as maand,
        count(*) as n_starts,
        count(*) filter (
            where s.dagtekening > last_day(s.dagtekening) - cast($signalen_batch_laatste_dagen as integer)
        ) as n_maandeinde
    from starts as s
    cross join peildatum as p
    where s.dagtekening <= p.peildatum
    group by s.aanbieder_agb, cast(date_trunc('month', s.dagtekening) as date)
),

batch_signaal as (
    select
        'starts_in_batch' as type,
        last_day(b.maand) as datum,
        cast(null as varchar) as gemeente_code,
        b.aanbieder_agb,
        cast(null as varchar) as client_id,
        cast(null as varchar) as productcategorie,
        b.aanbieder_agb || '|' || strftime(b.maand, '%Y-%m') as sleutel,
        cast(b.n_maandeinde as varchar) || ' van de ' || cast(b.n_starts as varchar)
        || ' startberichten (JW305) in ' || strftime(b.maand, '%m-%Y') || ' zijn in de laatste '
        || cast($signalen_batch_laatste_dagen as varchar) || ' dagen van de maand verstuurd.' as detail
    from batch as b
    where
        b.n_starts >= cast($signalen_batch_min_aantal as integer)
        and b.n_maandeinde >= cast($signalen_batch_min_aandeel as double) * b.n_starts
),

alle as (
    select * from vot_termijn
    union all
    select * from vot_onderzoek
    union all
    select * from zonder_start
    union all
    select * from verlopen
    union all
    select * from stop_zonder
    union all
    select * from declaratie_start
    union all
    select * from declaratie_periode
    union all
    select * from overlap
    union all
    select * from batch_signaal
)

select
    md5(a.type || '|' || a.sleutel) as signaal_id,
    a.type,
    a.datum,
    a.gemeente_code,
    a.aanbieder_agb,
    a.client_id,
    a.productcategorie,
    a.detail,
    recordsleutel(md5(a.type || '|' || a.sleutel)) as signaal_sleutel
from alle as a
order by a.datum, a.type, signaal_id
