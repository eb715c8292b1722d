-- Schema v11 (issue 20): department-wide declarations (部门整体支出绩效目标申报表) beside the
-- projects, in the same tables. A version is department-wide when `department_functions` is not
-- NULL (部门职能概述); its 支出构成 (基本支出, 项目支出) in fen when the form splits it. A task's
-- 预算金额 (总额, 财政拨款, 其他资金) in fen when the form allocates money to it (a department's
-- 年度主要任务 do). An indicator's 是否核心指标 as 0/1.
ALTER TABLE declaration_versions ADD COLUMN department_functions TEXT;
ALTER TABLE declaration_versions ADD COLUMN spending_basic BIGINT;
ALTER TABLE declaration_versions ADD COLUMN spending_project BIGINT;
ALTER TABLE tasks ADD COLUMN funds_total BIGINT;
ALTER TABLE tasks ADD COLUMN funds_fiscal BIGINT;
ALTER TABLE tasks ADD COLUMN funds_other BIGINT;
ALTER TABLE version_indicators ADD COLUMN core BIGINT NOT NULL DEFAULT 0;
