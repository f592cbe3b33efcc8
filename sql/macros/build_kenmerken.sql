-- one row: the properties of this build the dashboard always shows (peildatum, model version)
-- params:
select
    p.peildatum,
    p.is_geconfigureerd as is_peildatum_geconfigureerd,
    b.model_version,
    b.bron_vingerafdruk
from peildatum as p
cross join build_info as b
