-- migration 0001_initial_schema up
CREATE TABLE [partners] ([id] nvarchar(36), [username] nvarchar(64) not null, [display_name] nvarchar(200) not null, [roles] nvarchar(200) not null CONSTRAINT [partners_roles_default] DEFAULT '', [disabled] bit not null CONSTRAINT [partners_disabled_default] DEFAULT '0', [password_hash] nvarchar(255) not null, [digest_secret] nvarchar(512) null, [auth_modes] nvarchar(8) null, [require_timestamp] bit null, [require_signature] bit null, [sign_response] bit null, [allow_legacy_algorithms] bit null, [created_at] nvarchar(24) not null, [updated_at] nvarchar(24) not null, CONSTRAINT [partners_pkey] PRIMARY KEY ([id]), constraint partners_auth_modes_check check (auth_modes is null or auth_modes in ('text', 'digest', 'both')));
-- bindings: []

-- migration 0001_initial_schema up
ALTER TABLE [partners] ADD CONSTRAINT [partners_username_unique] UNIQUE ([username]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [partner_certificates] ([id] int identity(1,1) not null primary key, [partner_id] nvarchar(36) not null, [thumbprint_sha1] nvarchar(40) not null, [thumbprint_sha256] nvarchar(64) not null, [subject_key_identifier] nvarchar(64) null, [issuer] nvarchar(255) not null, [serial_number] nvarchar(64) not null, [pem] nvarchar(max) not null, [not_before] nvarchar(24) not null, [not_after] nvarchar(24) not null, [revoked_at] nvarchar(24) null, [created_at] nvarchar(24) not null, CONSTRAINT [partner_certificates_partner_id_foreign] FOREIGN KEY ([partner_id]) REFERENCES [partners] ([id]) ON DELETE CASCADE);
-- bindings: []

-- migration 0001_initial_schema up
ALTER TABLE [partner_certificates] ADD CONSTRAINT [partner_certificates_sha1_unique] UNIQUE ([thumbprint_sha1]);
-- bindings: []

-- migration 0001_initial_schema up
ALTER TABLE [partner_certificates] ADD CONSTRAINT [partner_certificates_sha256_unique] UNIQUE ([thumbprint_sha256]);
-- bindings: []

-- migration 0001_initial_schema up
ALTER TABLE [partner_certificates] ADD CONSTRAINT [partner_certificates_issuer_serial_unique] UNIQUE ([issuer], [serial_number]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [partner_certificates_ski_index] ON [partner_certificates] ([subject_key_identifier]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [partner_certificates_partner_index] ON [partner_certificates] ([partner_id]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [partner_limits] ([partner_id] nvarchar(36) not null, [operation] nvarchar(64) not null, [points] int null, [duration_seconds] int null, [max_in_flight] int null, [updated_at] nvarchar(24) not null, CONSTRAINT [partner_limits_partner_id_foreign] FOREIGN KEY ([partner_id]) REFERENCES [partners] ([id]) ON DELETE CASCADE, CONSTRAINT [partner_limits_pkey] PRIMARY KEY ([partner_id], [operation]), constraint partner_limits_values_check check ((points is null or points >= 0) and (duration_seconds is null or duration_seconds > 0) and (max_in_flight is null or max_in_flight > 0) and (operation = '*' or (points is not null and duration_seconds is not null and max_in_flight is null))));
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [products] ([sku] nvarchar(32), [name] nvarchar(200) not null, [description] nvarchar(2000) null, [category] nvarchar(64) not null, [unit_price] decimal(18, 2) not null, [currency] nvarchar(3) not null, [active] bit not null CONSTRAINT [products_active_default] DEFAULT '1', [created_at] nvarchar(24) not null, [updated_at] nvarchar(24) not null, CONSTRAINT [products_pkey] PRIMARY KEY ([sku]));
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [products_category_sku_index] ON [products] ([category], [sku]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [stock] ([sku] nvarchar(32), [on_hand] int not null CONSTRAINT [stock_on_hand_default] DEFAULT '0', [reserved] int not null CONSTRAINT [stock_reserved_default] DEFAULT '0', [updated_at] nvarchar(24) not null, CONSTRAINT [stock_pkey] PRIMARY KEY ([sku]), CONSTRAINT [stock_sku_foreign] FOREIGN KEY ([sku]) REFERENCES [products] ([sku]) ON DELETE CASCADE, constraint stock_bounds_check check (reserved >= 0 and on_hand >= 0 and reserved <= on_hand));
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [stock_adjustments] ([id] int identity(1,1) not null primary key, [sku] nvarchar(32) not null, [delta] int not null, [reason] nvarchar(500) not null, [actor] nvarchar(100) not null, [message_id] nvarchar(200) null, [at] nvarchar(24) not null, CONSTRAINT [stock_adjustments_sku_foreign] FOREIGN KEY ([sku]) REFERENCES [products] ([sku]) ON DELETE CASCADE);
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [stock_adjustments_sku_at_index] ON [stock_adjustments] ([sku], [at]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [orders] ([id] nvarchar(36), [partner_id] nvarchar(36) not null, [partner_order_ref] nvarchar(64) not null, [content_hash] nvarchar(128) not null, [status] nvarchar(16) not null, [currency] nvarchar(3) not null, [total] decimal(18, 2) not null, [line_count] int not null, [ship_to_name] nvarchar(200) not null, [ship_to_line1] nvarchar(200) not null, [ship_to_line2] nvarchar(200) null, [ship_to_city] nvarchar(100) not null, [ship_to_region] nvarchar(100) null, [ship_to_postal_code] nvarchar(32) not null, [ship_to_country_code] nvarchar(2) not null, [requested_delivery_date] nvarchar(10) null, [note] nvarchar(2000) null, [shipment_carrier] nvarchar(64) null, [shipment_tracking_number] nvarchar(128) null, [shipped_at] nvarchar(24) null, [cancellation_reason] nvarchar(500) null, [cancelled_at] nvarchar(24) null, [created_at] nvarchar(24) not null, [updated_at] nvarchar(24) not null, CONSTRAINT [orders_pkey] PRIMARY KEY ([id]), CONSTRAINT [orders_partner_id_foreign] FOREIGN KEY ([partner_id]) REFERENCES [partners] ([id]), constraint orders_status_check check (status in ('ACCEPTED', 'CANCELLED', 'SHIPPED')));
-- bindings: []

-- migration 0001_initial_schema up
ALTER TABLE [orders] ADD CONSTRAINT [orders_partner_ref_unique] UNIQUE ([partner_id], [partner_order_ref]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [orders_partner_created_index] ON [orders] ([partner_id], [created_at], [id]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [orders_partner_status_created_index] ON [orders] ([partner_id], [status], [created_at], [id]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [order_lines] ([order_id] nvarchar(36) not null, [line_number] int not null, [sku] nvarchar(32) not null, [quantity] int not null, [unit_price] decimal(18, 2) not null, [line_total] decimal(18, 2) not null, CONSTRAINT [order_lines_order_id_foreign] FOREIGN KEY ([order_id]) REFERENCES [orders] ([id]) ON DELETE CASCADE, CONSTRAINT [order_lines_sku_foreign] FOREIGN KEY ([sku]) REFERENCES [products] ([sku]), CONSTRAINT [order_lines_pkey] PRIMARY KEY ([order_id], [line_number]), constraint order_lines_quantity_check check (quantity > 0));
-- bindings: []

-- migration 0001_initial_schema up
CREATE INDEX [order_lines_sku_index] ON [order_lines] ([sku]);
-- bindings: []

-- migration 0001_initial_schema up
CREATE TABLE [order_history] ([order_id] nvarchar(36) not null, [seq] int not null, [action] nvarchar(32) not null, [from_status] nvarchar(16) null, [to_status] nvarchar(16) not null, [at] nvarchar(24) not null, [actor] nvarchar(100) not null, [message_id] nvarchar(200) not null, [detail] nvarchar(2000) null, CONSTRAINT [order_history_order_id_foreign] FOREIGN KEY ([order_id]) REFERENCES [orders] ([id]) ON DELETE CASCADE, CONSTRAINT [order_history_pkey] PRIMARY KEY ([order_id], [seq]));
-- bindings: []

-- migration 0002_order_line_partner_ref up
ALTER TABLE [order_lines] ADD [partner_line_ref] nvarchar(64) null;
-- bindings: []

-- migration 0003_certificate_identity up
ALTER TABLE [partners] ADD [mutual_tls] bit null;
-- bindings: []

-- migration 0003_certificate_identity up
ALTER TABLE [partner_certificates] ADD [public_key_sha256] nvarchar(64) null;
-- bindings: []

-- migration 0003_certificate_identity up
CREATE INDEX [partner_certificates_public_key_index] ON [partner_certificates] ([public_key_sha256]);
-- bindings: []

-- migration 0003_certificate_identity up
select [id], [pem] from [partner_certificates];
-- bindings: []

-- migration 0003_certificate_identity down
DROP INDEX [partner_certificates_public_key_index] ON [partner_certificates];
-- bindings: []

-- migration 0003_certificate_identity down

              DECLARE @constraint varchar(100) = (SELECT default_constraints.name
                                                  FROM sys.all_columns
                                                  INNER JOIN sys.tables
                                                    ON all_columns.object_id = tables.object_id
                                                  INNER JOIN sys.schemas
                                                    ON tables.schema_id = schemas.schema_id
                                                  INNER JOIN sys.default_constraints
                                                    ON all_columns.default_object_id = default_constraints.object_id
                                                  WHERE schemas.name = 'dbo'
                                                  AND tables.name = 'partner_certificates'
                                                  AND all_columns.name = 'public_key_sha256')

              IF @constraint IS NOT NULL EXEC('ALTER TABLE partner_certificates DROP CONSTRAINT ' + @constraint);
-- bindings: []

-- migration 0003_certificate_identity down
ALTER TABLE [partner_certificates] DROP COLUMN [public_key_sha256];
-- bindings: []

-- migration 0003_certificate_identity down

              DECLARE @constraint varchar(100) = (SELECT default_constraints.name
                                                  FROM sys.all_columns
                                                  INNER JOIN sys.tables
                                                    ON all_columns.object_id = tables.object_id
                                                  INNER JOIN sys.schemas
                                                    ON tables.schema_id = schemas.schema_id
                                                  INNER JOIN sys.default_constraints
                                                    ON all_columns.default_object_id = default_constraints.object_id
                                                  WHERE schemas.name = 'dbo'
                                                  AND tables.name = 'partners'
                                                  AND all_columns.name = 'mutual_tls')

              IF @constraint IS NOT NULL EXEC('ALTER TABLE partners DROP CONSTRAINT ' + @constraint);
-- bindings: []

-- migration 0003_certificate_identity down
ALTER TABLE [partners] DROP COLUMN [mutual_tls];
-- bindings: []

-- migration 0002_order_line_partner_ref down

              DECLARE @constraint varchar(100) = (SELECT default_constraints.name
                                                  FROM sys.all_columns
                                                  INNER JOIN sys.tables
                                                    ON all_columns.object_id = tables.object_id
                                                  INNER JOIN sys.schemas
                                                    ON tables.schema_id = schemas.schema_id
                                                  INNER JOIN sys.default_constraints
                                                    ON all_columns.default_object_id = default_constraints.object_id
                                                  WHERE schemas.name = 'dbo'
                                                  AND tables.name = 'order_lines'
                                                  AND all_columns.name = 'partner_line_ref')

              IF @constraint IS NOT NULL EXEC('ALTER TABLE order_lines DROP CONSTRAINT ' + @constraint);
-- bindings: []

-- migration 0002_order_line_partner_ref down
ALTER TABLE [order_lines] DROP COLUMN [partner_line_ref];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[order_history]', 'U') is not null DROP TABLE [order_history];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[order_lines]', 'U') is not null DROP TABLE [order_lines];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[orders]', 'U') is not null DROP TABLE [orders];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[stock_adjustments]', 'U') is not null DROP TABLE [stock_adjustments];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[stock]', 'U') is not null DROP TABLE [stock];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[products]', 'U') is not null DROP TABLE [products];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[partner_limits]', 'U') is not null DROP TABLE [partner_limits];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[partner_certificates]', 'U') is not null DROP TABLE [partner_certificates];
-- bindings: []

-- migration 0001_initial_schema down
if object_id('[partners]', 'U') is not null DROP TABLE [partners];
-- bindings: []

-- catalog.selectProduct
select [sku], [name], [description], [category], CAST([unit_price] AS varchar(24)) as [unit_price], [currency], [active] from [products] where [sku] = @p0;
-- bindings: ["SKU-A"]

-- catalog.selectProducts
select [sku], [name], [description], [category], CAST([unit_price] AS varchar(24)) as [unit_price], [currency], [active] from [products] where [sku] in (@p0, @p1);
-- bindings: ["SKU-A","SKU-B"]

-- catalog.searchProducts
select top (@p0) [sku], [name], [description], [category], CAST([unit_price] AS varchar(24)) as [unit_price], [currency], [active] from [products] order by [sku] asc;
-- bindings: [21]

-- catalog.searchProducts
select top (@p0) [sku], [name], [description], [category], CAST([unit_price] AS varchar(24)) as [unit_price], [currency], [active] from [products] where [category] = @p1 and [sku] > @p2 and (lower([sku]) like @p3 escape '!' or lower([name]) like @p4 escape '!' or lower([description]) like @p5 escape '!') order by [sku] asc;
-- bindings: [21,"Tools","SKU-A","%50!%!_![x]!!%","%50!%!_![x]!!%","%50!%!_![x]!!%"]

-- catalog.updateProduct
update [products] set [name] = @p0, [description] = @p1, [category] = @p2, [unit_price] = @p3, [currency] = @p4, [active] = @p5, [updated_at] = @p6 where [sku] = @p7;select @@rowcount;
-- bindings: ["Drill",null,"Tools","99.90","EUR",true,"2026-01-15T09:00:00.123Z","SKU-A"]

-- catalog.insertProduct
insert into [products] ([active], [category], [created_at], [currency], [description], [name], [sku], [unit_price], [updated_at]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8);
-- bindings: [false,"Tools","2026-01-15T09:00:00.123Z","EUR","d","Drill","SKU-A","99.90","2026-01-15T09:00:00.123Z"]

-- catalog.insertEmptyStock
insert into [stock] ([on_hand], [reserved], [sku], [updated_at]) values (@p0, @p1, @p2, @p3);
-- bindings: [0,0,"SKU-A","2026-01-15T09:00:00.123Z"]

-- catalog.selectStock
select [sku], [on_hand], [reserved] from [stock] where [sku] in (@p0, @p1);
-- bindings: ["SKU-A","SKU-B"]

-- catalog.adjustStockIfCovered
update [stock] set [on_hand] = [on_hand] + @p0, [updated_at] = @p1 where [sku] = @p2 and [on_hand] + @p3 >= [reserved];select @@rowcount;
-- bindings: [-5,"2026-01-15T09:00:00.123Z","SKU-A",-5]

-- catalog.insertStockAdjustment
insert into [stock_adjustments] ([actor], [at], [delta], [message_id], [reason], [sku]) values (@p0, @p1, @p2, @p3, @p4, @p5);
-- bindings: ["admin","2026-01-15T09:00:00.123Z",-5,"urn:m","damaged","SKU-A"]

-- catalog.countProducts
select count(*) as [count] from [products];
-- bindings: []

-- orders.insertOrder
insert into [orders] ([cancellation_reason], [cancelled_at], [content_hash], [created_at], [currency], [id], [line_count], [note], [partner_id], [partner_order_ref], [requested_delivery_date], [ship_to_city], [ship_to_country_code], [ship_to_line1], [ship_to_line2], [ship_to_name], [ship_to_postal_code], [ship_to_region], [shipment_carrier], [shipment_tracking_number], [shipped_at], [status], [total], [updated_at]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @p12, @p13, @p14, @p15, @p16, @p17, @p18, @p19, @p20, @p21, @p22, @p23);
-- bindings: [null,null,"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","2026-01-15T09:00:00.123Z","EUR","00000000-0000-4000-8000-000000000001",2,null,"00000000-0000-4000-8000-0000000000aa","PO-REF-1",null,"Hamburg","DE","Dock 4",null,"ACME","20095",null,null,null,null,"ACCEPTED","9999999990.30","2026-01-15T09:00:00.123Z"]

-- orders.insertOrderLines
insert into [order_lines] ([line_number], [line_total], [order_id], [partner_line_ref], [quantity], [sku], [unit_price]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6), (@p7, @p8, @p9, @p10, @p11, @p12, @p13);
-- bindings: [1,"0.30","00000000-0000-4000-8000-000000000001",null,3,"SKU-B","0.10",2,"9999999990.00","00000000-0000-4000-8000-000000000001",null,1000,"SKU-A","9999999.99"]

-- orders.reserveStockIfAvailable
update [stock] set [reserved] = [reserved] + @p0, [updated_at] = @p1 where [sku] = @p2 and [on_hand] - [reserved] >= @p3;select @@rowcount;
-- bindings: [1000,"2026-01-15T09:00:00.123Z","SKU-A",1000]

-- orders.releaseReservation
update [stock] set [reserved] = [reserved] - @p0, [updated_at] = @p1 where [sku] = @p2 and [reserved] >= @p3;select @@rowcount;
-- bindings: [1000,"2026-01-15T09:00:00.123Z","SKU-A",1000]

-- orders.consumeReservation
update [stock] set [on_hand] = [on_hand] - @p0, [reserved] = [reserved] - @p1, [updated_at] = @p2 where [sku] = @p3 and [reserved] >= @p4 and [on_hand] >= @p5;select @@rowcount;
-- bindings: [1000,1000,"2026-01-15T09:00:00.123Z","SKU-A",1000,1000]

-- orders.insertHistory
insert into [order_history] ([action], [actor], [at], [detail], [from_status], [message_id], [order_id], [seq], [to_status]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8);
-- bindings: ["CANCELLED","p","2026-01-15T09:00:00.123Z","why","ACCEPTED","urn:m","00000000-0000-4000-8000-000000000001",2,"CANCELLED"]

-- orders.nextHistorySeq
select max([seq]) as [last] from [order_history] where [order_id] = @p0;
-- bindings: ["00000000-0000-4000-8000-000000000001"]

-- orders.selectOrder
select [id], [partner_id], [partner_order_ref], [content_hash], [status], [currency], [line_count], [ship_to_name], [ship_to_line1], [ship_to_line2], [ship_to_city], [ship_to_region], [ship_to_postal_code], [ship_to_country_code], [requested_delivery_date], [note], [shipment_carrier], [shipment_tracking_number], [shipped_at], [cancellation_reason], [cancelled_at], [created_at], [updated_at], CAST([total] AS varchar(24)) as [total] from [orders] where [id] = @p0;
-- bindings: ["00000000-0000-4000-8000-000000000001"]

-- orders.selectOrder
select [id], [partner_id], [partner_order_ref], [content_hash], [status], [currency], [line_count], [ship_to_name], [ship_to_line1], [ship_to_line2], [ship_to_city], [ship_to_region], [ship_to_postal_code], [ship_to_country_code], [requested_delivery_date], [note], [shipment_carrier], [shipment_tracking_number], [shipped_at], [cancellation_reason], [cancelled_at], [created_at], [updated_at], CAST([total] AS varchar(24)) as [total] from [orders] where [id] = @p0 and [partner_id] = @p1;
-- bindings: ["00000000-0000-4000-8000-000000000001","00000000-0000-4000-8000-0000000000aa"]

-- orders.selectOrderByRef
select [id], [partner_id], [partner_order_ref], [content_hash], [status], [currency], [line_count], [ship_to_name], [ship_to_line1], [ship_to_line2], [ship_to_city], [ship_to_region], [ship_to_postal_code], [ship_to_country_code], [requested_delivery_date], [note], [shipment_carrier], [shipment_tracking_number], [shipped_at], [cancellation_reason], [cancelled_at], [created_at], [updated_at], CAST([total] AS varchar(24)) as [total] from [orders] where [partner_id] = @p0 and [partner_order_ref] = @p1;
-- bindings: ["00000000-0000-4000-8000-0000000000aa","PO-REF-1"]

-- orders.selectOrderForUpdate
select [id], [partner_id], [partner_order_ref], [content_hash], [status], [currency], [line_count], [ship_to_name], [ship_to_line1], [ship_to_line2], [ship_to_city], [ship_to_region], [ship_to_postal_code], [ship_to_country_code], [requested_delivery_date], [note], [shipment_carrier], [shipment_tracking_number], [shipped_at], [cancellation_reason], [cancelled_at], [created_at], [updated_at], CAST([total] AS varchar(24)) as [total] from [orders] with (UPDLOCK, ROWLOCK) where [id] = @p0;
-- bindings: ["00000000-0000-4000-8000-000000000001"]

-- orders.selectOrderLines
select [order_id], [line_number], [sku], [quantity], CAST([unit_price] AS varchar(24)) as [unit_price], CAST([line_total] AS varchar(24)) as [line_total], [partner_line_ref] from [order_lines] where [order_id] = @p0 order by [line_number] asc;
-- bindings: ["00000000-0000-4000-8000-000000000001"]

-- orders.updateOrderTransition
update [orders] set [status] = @p0, [updated_at] = @p1, [cancellation_reason] = @p2, [cancelled_at] = @p3 where [id] = @p4 and [status] = @p5;select @@rowcount;
-- bindings: ["CANCELLED","2026-01-15T09:00:00.123Z","why","2026-01-15T09:00:00.123Z","00000000-0000-4000-8000-000000000001","ACCEPTED"]

-- orders.updateOrderTransition
update [orders] set [status] = @p0, [updated_at] = @p1, [shipment_carrier] = @p2, [shipment_tracking_number] = @p3, [shipped_at] = @p4 where [id] = @p5 and [status] = @p6;select @@rowcount;
-- bindings: ["SHIPPED","2026-01-15T09:00:00.123Z","UPS","1Z","2026-01-15T09:00:00.123Z","00000000-0000-4000-8000-000000000001","ACCEPTED"]

-- orders.selectOrderPage
select top (@p0) [id], [partner_order_ref], [status], [created_at], CAST([total] AS varchar(24)) as [total], [currency], [line_count] from [orders] where [partner_id] = @p1 order by [created_at] desc, [id] desc;
-- bindings: [21,"00000000-0000-4000-8000-0000000000aa"]

-- orders.selectOrderPage
select top (@p0) [id], [partner_order_ref], [status], [created_at], CAST([total] AS varchar(24)) as [total], [currency], [line_count] from [orders] where [partner_id] = @p1 and [status] = @p2 and [created_at] >= @p3 and [created_at] < @p4 and ([created_at] < @p5 or ([created_at] = @p6 and [id] < @p7)) order by [created_at] desc, [id] desc;
-- bindings: [21,"00000000-0000-4000-8000-0000000000aa","ACCEPTED","2026-01-15T09:00:00.123Z","2026-01-15T09:00:00.123Z","2026-01-15T09:00:00.123Z","2026-01-15T09:00:00.123Z","00000000-0000-4000-8000-000000000001"]

-- orders.selectOrderPage
select top (@p0) [id], [partner_order_ref], [status], [created_at], CAST([total] AS varchar(24)) as [total], [currency], [line_count] from [orders] where [partner_id] = @p1 and [partner_order_ref] = @p2 order by [created_at] desc, [id] desc;
-- bindings: [21,"00000000-0000-4000-8000-0000000000aa","PO-REF-1"]

-- orders.selectHistory
select [order_id], [seq], [action], [from_status], [to_status], [at], [actor], [message_id], [detail] from [order_history] where [order_id] = @p0 order by [seq] asc;
-- bindings: ["00000000-0000-4000-8000-000000000001"]

-- orders.selectStockRow
select [sku], [on_hand], [reserved] from [stock] where [sku] = @p0;
-- bindings: ["SKU-A"]

-- partners.selectPartnerByUsername
select [id], [username], [display_name], [password_hash], [roles], [disabled], [created_at] from [partners] where [username] = @p0;
-- bindings: ["acme"]

-- partners.selectPartnerById
select [id], [username], [display_name], [password_hash], [roles], [disabled], [created_at] from [partners] where [id] = @p0;
-- bindings: ["id-1"]

-- partners.selectAllPartners
select [id], [username], [display_name], [password_hash], [roles], [disabled], [created_at] from [partners] order by [username] asc;
-- bindings: []

-- partners.insertPartner
insert into [partners] ([created_at], [disabled], [display_name], [id], [password_hash], [roles], [updated_at], [username]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7);
-- bindings: ["2026-01-15T09:00:00.123Z",false,"ACME","id-1","scrypt$x","admin","2026-01-15T09:00:00.123Z","acme"]

-- partners.updatePartner
update [partners] set [disabled] = @p0, [updated_at] = @p1 where [username] = @p2;select @@rowcount;
-- bindings: [true,"2026-01-15T09:00:00.123Z","acme"]

-- partners.countPartners
select count(*) as [count] from [partners];
-- bindings: []

-- security.selectCredentialsByUsername
select [id], [username], [roles], [disabled], [password_hash], [digest_secret], [auth_modes], [require_timestamp], [require_signature], [sign_response], [allow_legacy_algorithms], [mutual_tls] from [partners] where [username] = @p0;
-- bindings: ["acme"]

-- security.selectCredentialsById
select [id], [username], [roles], [disabled], [password_hash], [digest_secret], [auth_modes], [require_timestamp], [require_signature], [sign_response], [allow_legacy_algorithms], [mutual_tls] from [partners] where [id] = @p0;
-- bindings: ["id-1"]

-- security.selectCertificate
select [id], [partner_id], [thumbprint_sha1], [thumbprint_sha256], [subject_key_identifier], [issuer], [serial_number], [public_key_sha256], [pem], [not_before], [not_after], [revoked_at], [created_at] from [partner_certificates] where [thumbprint_sha256] = @p0 order by IIF([revoked_at] is null,0,1) asc, [created_at] desc;
-- bindings: ["ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"]

-- security.selectCertificate
select [id], [partner_id], [thumbprint_sha1], [thumbprint_sha256], [subject_key_identifier], [issuer], [serial_number], [public_key_sha256], [pem], [not_before], [not_after], [revoked_at], [created_at] from [partner_certificates] where [subject_key_identifier] = @p0 order by IIF([revoked_at] is null,0,1) asc, [created_at] desc;
-- bindings: ["abababababababababababababababababababab"]

-- security.selectCertificate
select [id], [partner_id], [thumbprint_sha1], [thumbprint_sha256], [subject_key_identifier], [issuer], [serial_number], [public_key_sha256], [pem], [not_before], [not_after], [revoked_at], [created_at] from [partner_certificates] where [issuer] = @p0 and [serial_number] = @p1;
-- bindings: ["cn=ca","4096"]

-- security.selectCertificatesOfPartner
select [id], [partner_id], [thumbprint_sha1], [thumbprint_sha256], [subject_key_identifier], [issuer], [serial_number], [public_key_sha256], [pem], [not_before], [not_after], [revoked_at], [created_at] from [partner_certificates] where [partner_id] = @p0 order by [created_at] asc;
-- bindings: ["id-1"]

-- security.insertCertificate
insert into [partner_certificates] ([created_at], [issuer], [not_after], [not_before], [partner_id], [pem], [public_key_sha256], [revoked_at], [serial_number], [subject_key_identifier], [thumbprint_sha1], [thumbprint_sha256]) values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11);
-- bindings: ["2026-01-15T09:00:00.123Z","cn=ca","2026-01-15T09:00:00.123Z","2026-01-15T09:00:00.123Z","id-1","PEM","cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",null,"4096",null,"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]

-- security.selectIdentityHolders
select [c].[partner_id], [p].[username], [c].[thumbprint_sha1], [c].[thumbprint_sha256], [c].[subject_key_identifier], [c].[issuer], [c].[serial_number], [c].[public_key_sha256] from [partner_certificates] as [c] inner join [partners] as [p] on [p].[id] = [c].[partner_id] where ([c].[thumbprint_sha256] = @p0 or [c].[thumbprint_sha1] = @p1 or ([c].[issuer] = @p2 and [c].[serial_number] = @p3) or [c].[public_key_sha256] = @p4 or [c].[subject_key_identifier] = @p5);
-- bindings: ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","cn=ca","4096","cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","abababababababababababababababababababab"]

-- security.selectIdentityHolders
select [c].[partner_id], [p].[username], [c].[thumbprint_sha1], [c].[thumbprint_sha256], [c].[subject_key_identifier], [c].[issuer], [c].[serial_number], [c].[public_key_sha256] from [partner_certificates] as [c] inner join [partners] as [p] on [p].[id] = [c].[partner_id] where ([c].[thumbprint_sha256] = @p0 or [c].[thumbprint_sha1] = @p1 or ([c].[issuer] = @p2 and [c].[serial_number] = @p3) or [c].[public_key_sha256] = @p4);
-- bindings: ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","cn=ca","4096","cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"]

-- security.revokeCertificateBySha256
update [partner_certificates] set [revoked_at] = @p0 where [partner_id] = @p1 and [thumbprint_sha256] = @p2 and [revoked_at] is null;select @@rowcount;
-- bindings: ["2026-01-15T09:00:00.123Z","id-1","bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]

-- security.updatePartnerSecurity
update [partners] set [auth_modes] = @p0, [require_timestamp] = @p1, [digest_secret] = @p2, [updated_at] = @p3 where [id] = @p4;select @@rowcount;
-- bindings: ["digest",null,"v1:x","2026-01-15T09:00:00.123Z","id-1"]

-- security.selectLimitsOfPartner
select [operation], [points], [duration_seconds], [max_in_flight] from [partner_limits] where [partner_id] = @p0;
-- bindings: ["id-1"]

-- security.deleteLimit
delete from [partner_limits] where [partner_id] = @p0 and [operation] = @p1;select @@rowcount;
-- bindings: ["id-1","SubmitOrder"]

-- security.insertLimit
insert into [partner_limits] ([duration_seconds], [max_in_flight], [operation], [partner_id], [points], [updated_at]) values (@p0, @p1, @p2, @p3, @p4, @p5);
-- bindings: [1,null,"*","id-1",10,"2026-01-15T09:00:00.123Z"]
