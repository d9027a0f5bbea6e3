module fraudline.local/tools/services/bigquery-emulator

go 1.25.0
