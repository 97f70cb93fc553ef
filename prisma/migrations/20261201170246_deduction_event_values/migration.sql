-- AlterTable
ALTER TABLE "de_user_ar_event" ADD COLUMN     "property_values" VARCHAR(2048);
