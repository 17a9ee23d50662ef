{#-
    Money from every business source is in one currency: the warehouse converts none, so sums and ratios
    over teams would mix currencies. Give every business source the same `currency:`.
-#}
select
    currency,
    count(*) as money_rows
from {{ ref('business_measures') }}
where currency is not null
group by currency
qualify count(*) over () > 1
