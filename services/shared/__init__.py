"""What every Gramota service does alike: settings, database, migrations, events, gRPC runtime."""
