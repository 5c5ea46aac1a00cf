-- analytics_hist_add (0012) split both histograms into rows, grouped and re-aggregated them in a SQL function
-- PostgreSQL cannot inline, so it planned and ran a query per call: 2.9 ms for a day's histogram of 134 bins,
-- and the rollups call it for every lead (twice as a lead is first assigned), growing with the histogram.
-- The same sum as one merge of the two ascending lists (0.13 ms for the same histogram). Every rollup writes its
-- histograms ascending, one pair per bin; a histogram that is not (none should be) is added the old way.
CREATE OR REPLACE FUNCTION "analytics_hist_add"(h1 text, h2 text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  a int[] := coalesce(string_to_array(nullif(h1, ''), ',')::int[], '{}');
  b int[] := coalesce(string_to_array(nullif(h2, ''), ',')::int[], '{}');
  na int := coalesce(array_length(a, 1), 0);
  nb int := coalesce(array_length(b, 1), 0);
  i int := 1;
  j int := 1;
  sums text[] := '{}';
  bin int;
  n bigint;
  prev int := NULL;
BEGIN
  WHILE i < na OR j < nb LOOP
    IF j >= nb OR (i < na AND a[i] < b[j]) THEN
      bin := a[i]; n := a[i + 1]; i := i + 2;
    ELSIF i >= na OR b[j] < a[i] THEN
      bin := b[j]; n := b[j + 1]; j := j + 2;
    ELSE
      bin := a[i]; n := a[i + 1]::bigint + b[j + 1]; i := i + 2; j := j + 2;
    END IF;
    IF bin <= prev THEN
      RETURN (SELECT coalesce(string_agg(s.bin || ',' || s.n, ',' ORDER BY s.bin), '')
        FROM (SELECT u.bin, sum(u.n) AS n FROM (SELECT * FROM analytics_hist_pairs(h1) UNION ALL SELECT * FROM analytics_hist_pairs(h2)) u GROUP BY u.bin HAVING sum(u.n) <> 0) s);
    END IF;
    prev := bin;
    IF n <> 0 THEN
      sums := sums || (bin || ',' || n);
    END IF;
  END LOOP;
  RETURN array_to_string(sums, ',');
END
$fn$;
