-- one row: the properties of this build the dashboard always shows (peildatum, data window, model version)
-- params: p_aanloop_maanden
select
    p.peildatum,
    p.is_geconfigureerd as is_peildatum_geconfigureerd,
    p.venster_begin,
    cast(p.venster_begin + to_months(cast(p_aanloop_maanden as integer)) as date) as aanloop_tot,
    b.model_version,
    b.bron_vingerafdruk
from peildatum as p
cross join build_info as b
